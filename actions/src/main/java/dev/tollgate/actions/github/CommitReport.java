package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.gate.GateStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

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
@API(status = EXPERIMENTAL, since = "0.1.0")
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

  /** A builder; the check name and target URL default to empty, the rest is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link CommitReport}; {@link #build()} checks the parts. */
  public static final class Builder {
    private String sha;
    private String context;
    private Optional<String> checkName = Optional.empty();
    private GateStatus outcome;
    private String title;
    private String description;
    private CommentBody summary;
    private List<Diagnostic> annotations = List.of();
    private Optional<String> targetUrl = Optional.empty();
    private String externalId;

    private Builder() {}

    /** The commit, a 40-character id. */
    public Builder sha(String sha) {
      this.sha = Objects.requireNonNull(sha, "sha");
      return this;
    }

    /** The status context, e.g. {@code tollgate/ci/gate}. */
    public Builder context(String context) {
      this.context = Objects.requireNonNull(context, "context");
      return this;
    }

    /** The check run's name; empty for a commit status only. */
    public Builder checkName(Optional<String> checkName) {
      this.checkName = Objects.requireNonNull(checkName, "checkName");
      return this;
    }

    /** The verdict. */
    public Builder outcome(GateStatus outcome) {
      this.outcome = Objects.requireNonNull(outcome, "outcome");
      return this;
    }

    /** The check run's title. */
    public Builder title(String title) {
      this.title = Objects.requireNonNull(title, "title");
      return this;
    }

    /** The status description (cut to {@value #MAX_DESCRIPTION} characters). */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /** The check run's summary, in decreasing detail. */
    public Builder summary(CommentBody summary) {
      this.summary = Objects.requireNonNull(summary, "summary");
      return this;
    }

    /** The findings to annotate; default none. */
    public Builder annotations(List<Diagnostic> annotations) {
      this.annotations = Objects.requireNonNull(annotations, "annotations");
      return this;
    }

    /** The link from the status or check, usually the run's page; default none. */
    public Builder targetUrl(Optional<String> targetUrl) {
      this.targetUrl = Objects.requireNonNull(targetUrl, "targetUrl");
      return this;
    }

    /** An id that is the same for every attempt of this report. */
    public Builder externalId(String externalId) {
      this.externalId = Objects.requireNonNull(externalId, "externalId");
      return this;
    }

    /**
     * The report.
     *
     * @throws IllegalArgumentException for a sha that is no commit id or a blank context
     * @throws NullPointerException when a required part is missing
     */
    public CommitReport build() {
      return new CommitReport(
          sha,
          context,
          checkName,
          outcome,
          title,
          description,
          summary,
          annotations,
          targetUrl,
          externalId);
    }
  }
}
