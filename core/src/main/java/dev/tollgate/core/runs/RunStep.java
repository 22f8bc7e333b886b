package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Instant;
import org.apiguardian.api.API;

/**
 * One start of one step of a run, as the queue recorded it from the step's {@code step_started} and
 * {@code step_finished} events. A step that appears under two attempts ran twice: its first worker
 * was lost after it started (see "Execution guarantees" in {@code docs/runs.md}).
 *
 * @param attempt the attempt that started it
 * @param index the order in which the attempt started its steps, from 1
 * @param name the step's name
 * @param status {@code running}, {@code success}, {@code error}, {@code cancelled} or {@code
 *     timeout}; {@code running} for a step whose worker died before it finished
 * @param startedAt when it started (database clock)
 * @param finishedAt when it finished, or null
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record RunStep(
    int attempt, int index, String name, String status, Instant startedAt, Instant finishedAt) {}
