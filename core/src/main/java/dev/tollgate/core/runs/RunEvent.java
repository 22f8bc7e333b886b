package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.apiguardian.api.API;

/**
 * One entry in a run's append-only log, numbered by {@code seq} in the order it was written.
 *
 * @param runId the run
 * @param seq the position in the run's log, from 1
 * @param attempt the attempt that wrote it
 * @param at when it was written (database clock)
 * @param kind what happened
 * @param stream the output stream, or null
 * @param message the text, or null
 * @param data structured details, or null
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record RunEvent(
    long runId,
    int seq,
    int attempt,
    Instant at,
    String kind,
    String stream,
    String message,
    JsonNode data) {}
