package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Instant;
import org.apiguardian.api.API;

/**
 * Which runs to list: every field is optional; null matches everything.
 *
 * @param status only runs in this state
 * @param lane only runs in this lane
 * @param template only runs of this template
 * @param since only runs created at or after this instant
 * @param search text that must occur in the template name, the parameters, the message, the
 *     idempotency key or the cancel reason (case-insensitive); secret ({@code writeOnly}) parameter
 *     values are never matched, since they are stored sealed
 * @param limit at most this many runs, newest first (1..1000)
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record RunFilter(
    RunStatus status, String lane, String template, Instant since, String search, int limit) {

  /** Checks the limit. */
  public RunFilter {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be in 1..1000, got " + limit);
    }
  }

  /** The newest 50 runs. */
  public static RunFilter all() {
    return new RunFilter(null, null, null, null, null, 50);
  }
}
