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
 * @param limit at most this many runs, newest first: by creation time, then by id (1..1000)
 * @param until only runs created before this instant
 * @param beforeId only runs after this one in that order: the keyset cursor of the next page (pass
 *     the last id of the page before), so pages never shift when runs are added; when that run no
 *     longer exists (its history was pruned), the runs whose id is below it
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record RunFilter(
    RunStatus status,
    String lane,
    String template,
    Instant since,
    String search,
    int limit,
    Instant until,
    Long beforeId) {

  /** Checks the limit and the cursor. */
  public RunFilter {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be in 1..1000, got " + limit);
    }
    if (beforeId != null && beforeId < 1) {
      throw new IllegalArgumentException("beforeId must be positive, got " + beforeId);
    }
  }

  /** A filter without an upper time bound or cursor: the first page. */
  public RunFilter(
      RunStatus status, String lane, String template, Instant since, String search, int limit) {
    this(status, lane, template, since, search, limit, null, null);
  }

  /** This filter's next page: the same conditions, below {@code lastId}. */
  public RunFilter after(long lastId) {
    return new RunFilter(status, lane, template, since, search, limit, until, lastId);
  }

  /** The newest 50 runs. */
  public static RunFilter all() {
    return new RunFilter(null, null, null, null, null, 50);
  }
}
