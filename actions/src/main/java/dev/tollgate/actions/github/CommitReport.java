package dev.tollgate.actions.github;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.gate.GateStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The verdict as it goes onto a commit: a commit status (context {@code tollgate/<key>}), or a
 * check run with a summary and annotations when {@code checkName} is set, either of which branch
 * protection can require.
 *
 * @param sha the commit
 * @param context the status context, e.g. {@code tollgate/ci/gate}
 * @param checkName the check run's name; empty for a commit status only
 * @param outcome the verdict: pass → success, blocked → failure, error → error (status) or failure
 *     (check)
 * @param title the check run's title, e.g. {@code Merge gate: 2 of 8 gates block}
 * @param description the status description; cut to GitHub's 140 characters
 * @param summary the check run's summary (Markdown), in decreasing detail
 * @param annotations the findings to annotate, at most {@value #MAX_ANNOTATIONS} (sent 50 per
 *     request)
 * @param targetUrl the link from the status or check, usually the run's page
 * @param externalId an id that is the same for every attempt of this report, so that a check run
 *     whose creation answer was lost can be found again
 */
public record CommitReport(
    String sha,
    String context,
    Optional<String> checkName,
    GateStatus outcome,
    String title,
    String description,
    CommentBody summary,
    List<Diagnostic> annotations,
    Optional<String> targetUrl,
    String externalId) {

  /** The most annotations one report sends; GitHub takes 50 per request. */
  public static final int MAX_ANNOTATIONS = 500;

  /** GitHub's limit for a status description. */
  public static final int MAX_DESCRIPTION = 140;

  /** Checks the parts, cuts the description and caps the annotations. */
  public CommitReport {
    Objects.requireNonNull(sha, "sha");
    if (!sha.matches("[0-9a-f]{40}")) {
      throw new IllegalArgumentException(
          "sha must be a 40-character commit id but was '" + sha + "'");
    }
    Objects.requireNonNull(context, "context");
    if (context.isBlank()) {
      throw new IllegalArgumentException("context must not be blank");
    }
    Objects.requireNonNull(checkName, "checkName");
    checkName = checkName.filter(n -> !n.isBlank());
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(description, "description");
    if (description.length() > MAX_DESCRIPTION) {
      description = description.substring(0, MAX_DESCRIPTION - 1) + "…";
    }
    Objects.requireNonNull(summary, "summary");
    annotations =
        List.copyOf(
            annotations.size() > MAX_ANNOTATIONS
                ? annotations.subList(0, MAX_ANNOTATIONS)
                : annotations);
    Objects.requireNonNull(targetUrl, "targetUrl");
    Objects.requireNonNull(externalId, "externalId");
  }
}
