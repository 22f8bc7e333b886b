package dev.tollgate.core.runs;

/**
 * The result of an enqueue: the run, and whether it was created now or an existing live run with
 * the same idempotency key was returned.
 */
public record Enqueued(Run run, boolean created) {}
