package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The result of an enqueue: the run, and whether it was created now or an existing live run with
 * the same idempotency key was returned.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record Enqueued(Run run, boolean created) {}
