package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.apiguardian.api.API;

/**
 * A run as the queue stores it: which template with which parameters, where it is in its life, and
 * who holds it.
 *
 * @param id the run's number
 * @param template the template name
 * @param templateHash the SHA-256 of the template definition the run was enqueued with, or null
 * @param lane the lane it waits in
 * @param priority higher runs are claimed first within a lane
 * @param params the parameters, a JSON object; a secret ({@code writeOnly}) parameter shows {@code
 *     ***} here
 * @param sealedParams the secret parameters, sealed (see {@code ParamsCipher}), or null when there
 *     are none
 * @param status the state
 * @param attempt how many times it was claimed; with the worker id it fences every later write
 * @param releases how many claims were given back by workers shutting down (not charged)
 * @param maxAttempts the attempts allowed before a lost worker fails the run
 * @param backoff the base delay before a swept run is retried
 * @param maxBackoff the cap on that delay
 * @param timeout the run's time limit, or null
 * @param availableAt the earliest time a worker may claim it
 * @param createdAt when it was enqueued
 * @param startedAt when it was first claimed, or null
 * @param finishedAt when it reached a terminal state, or null
 * @param heartbeatAt its worker's last heartbeat (database clock), or null
 * @param workerId the worker holding it while running, else null
 * @param cancelRequested whether someone asked to cancel it
 * @param cancelReason the reason given, or null
 * @param idempotencyKey the key it was enqueued with, or null
 * @param retryOf the run this one retries, or null
 * @param message the final message, or null
 * @param templateDefinition the template definition the run was enqueued with (the text whose
 *     SHA-256 is {@code templateHash}) as {@link RunQueue#claim} hands it to a worker, so the
 *     worker never reads it back; null for a run enqueued without one, and in what other reads
 *     return, which leave it out to stay small
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record Run(
    long id,
    String template,
    String templateHash,
    String lane,
    int priority,
    JsonNode params,
    String sealedParams,
    RunStatus status,
    int attempt,
    int releases,
    int maxAttempts,
    Duration backoff,
    Duration maxBackoff,
    Duration timeout,
    Instant availableAt,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Instant heartbeatAt,
    String workerId,
    boolean cancelRequested,
    String cancelReason,
    String idempotencyKey,
    Long retryOf,
    String message,
    String templateDefinition) {

  /** Returns the attempts counted against {@link #maxAttempts}: claims minus releases. */
  public int chargedAttempts() {
    return attempt - releases;
  }

  /** Returns the lease a worker holding this run writes with. */
  public Lease lease() {
    if (status != RunStatus.RUNNING) {
      throw new IllegalStateException("run " + id + " is " + status.wireName() + ", not running");
    }
    return new Lease(id, attempt, workerId);
  }
}
