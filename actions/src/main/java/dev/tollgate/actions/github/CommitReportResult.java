package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Where a {@link CommitReport} landed.
 *
 * @param kind a check run, a commit status, or nothing because the token may not write
 * @param url the check run's page; empty for a status (GitHub gives it no page) and for nothing
 * @param note what happened instead of the request, e.g. the fallback from a check run to a status;
 *     empty when it went as asked
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record CommitReportResult(Kind kind, Optional<String> url, Optional<String> note) {

  /** What was posted. */
  public enum Kind {
    /** A check run with its summary and annotations. */
    CHECK_RUN,
    /** A commit status. */
    STATUS,
    /** Nothing: the token may not write statuses (a fork's read-only token). */
    NOT_PERMITTED
  }

  /** Checks the parts. */
  public CommitReportResult {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(note, "note");
  }
}
