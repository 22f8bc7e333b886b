package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.actions.report.GateHeading;
import dev.tollgate.actions.report.GateMarkdown;
import dev.tollgate.actions.report.JsonText;
import dev.tollgate.actions.report.RenderOptions;
import dev.tollgate.actions.report.ReportFormat;
import dev.tollgate.actions.report.VerdictRenderer;
import dev.tollgate.actions.workflow.OutputFile;
import dev.tollgate.actions.workflow.StepSummary;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.gate.GateStatus;
import dev.tollgate.policy.MergeGateRequest;
import dev.tollgate.policy.MergeGateResult;
import dev.tollgate.policy.MergeGateService;
import dev.tollgate.policy.MissingBaseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The merge gate as a GitHub Actions step: gates what a {@link GateTarget} names with {@link
 * MergeGateService} and the pull request's {@link GithubFacts}, then publishes the verdict: the
 * report folder, the job summary, one sticky comment, a commit status or check run, and the step
 * outputs. {@code tollgate gate --github} is this plus printing.
 *
 * <p>It runs in two steps so that the caller can print the verdict before anything is posted:
 * {@link #evaluate} and then {@link #publish}. A token that may not write (a fork's pull request)
 * does not fail publishing: everything that needs no write access is still done, and {@link
 * Publication#notPermitted()} says how to post from a trusted workflow.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class GithubGate {
  private final MergeGateService service;
  private final ActionsEnvironment environment;
  private final GithubClient client;
  private final GateTarget target;
  private final CommentKey key;
  private final CommentMode commentMode;
  private final PassingComment passing;
  private final Optional<String> checkName;
  private final Path reportDir;
  private final RenderOptions renderOptions;

  private GithubGate(Builder b) {
    this.service = b.service;
    this.environment = b.environment;
    this.client = b.client;
    this.target = b.target;
    this.key = b.key != null ? b.key : b.environment.defaultCommentKey();
    this.commentMode = b.commentMode;
    this.passing = b.passing;
    this.checkName = b.checkName;
    this.reportDir =
        b.reportDir != null
            ? b.reportDir
            : b.environment
                .runnerTemp()
                .map(t -> t.resolve("tollgate-report"))
                .orElse(Path.of("tollgate-report"));
    this.renderOptions = b.renderOptions;
  }

  /** A builder; the service, environment, client, target and render options are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link GithubGate}. */
  public static final class Builder {
    private MergeGateService service;
    private ActionsEnvironment environment;
    private GithubClient client;
    private GateTarget target;
    private CommentKey key;
    private CommentMode commentMode = CommentMode.UPDATE;
    private PassingComment passing = PassingComment.UPDATE;
    private Optional<String> checkName = Optional.empty();
    private Path reportDir;
    private RenderOptions renderOptions;

    private Builder() {}

    /** The merge gate that evaluates. */
    public Builder service(MergeGateService service) {
      this.service = Objects.requireNonNull(service, "service");
      return this;
    }

    /** The step's {@code GITHUB_*} environment. */
    public Builder environment(ActionsEnvironment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** The client that reads facts and posts the verdict. */
    public Builder client(GithubClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** What is gated and where the verdict goes ({@link GateTarget#resolve}). */
    public Builder target(GateTarget target) {
      this.target = Objects.requireNonNull(target, "target");
      return this;
    }

    /** Which sticky comment and status context; default the environment's workflow/job key. */
    public Builder commentKey(CommentKey key) {
      this.key = Objects.requireNonNull(key, "key");
      return this;
    }

    /** How the sticky comment is kept; default {@link CommentMode#UPDATE}. */
    public Builder commentMode(CommentMode commentMode) {
      this.commentMode = Objects.requireNonNull(commentMode, "commentMode");
      return this;
    }

    /** What a passing run does to the comment; default {@link PassingComment#UPDATE}. */
    public Builder passing(PassingComment passing) {
      this.passing = Objects.requireNonNull(passing, "passing");
      return this;
    }

    /** Report as a check run with this name; empty (the default) for a commit status. */
    public Builder checkName(Optional<String> checkName) {
      this.checkName = Objects.requireNonNull(checkName, "checkName");
      return this;
    }

    /**
     * Where the report folder goes; default {@code $RUNNER_TEMP/tollgate-report}, else {@code
     * ./tollgate-report}.
     */
    public Builder reportDir(Path reportDir) {
      this.reportDir = Objects.requireNonNull(reportDir, "reportDir");
      return this;
    }

    /** The docs links and tool version of the rendered reports. */
    public Builder renderOptions(RenderOptions renderOptions) {
      this.renderOptions = Objects.requireNonNull(renderOptions, "renderOptions");
      return this;
    }

    /**
     * The gate step.
     *
     * @throws IllegalStateException when a required part is missing
     */
    public GithubGate build() {
      List<String> missing = new ArrayList<>();
      if (service == null) {
        missing.add("service");
      }
      if (environment == null) {
        missing.add("environment");
      }
      if (client == null) {
        missing.add("client");
      }
      if (target == null) {
        missing.add("target");
      }
      if (renderOptions == null) {
        missing.add("renderOptions");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException(String.join(", ", missing) + " required");
      }
      return new GithubGate(this);
    }
  }

  /** The sticky comment's key and the status context's suffix. */
  public CommentKey key() {
    return key;
  }

  /** Where the report folder goes. */
  public Path reportDir() {
    return reportDir;
  }

  /**
   * Gates the target in the checkout in {@code checkout} (a folder of the work tree).
   *
   * <p>When the gate cannot run, the commit says so (an error status or check run) rather than
   * staying pending; if setting that fails too, the failure is added to the thrown exception as
   * suppressed. GitHub's own failures and a missing base are thrown as they are.
   *
   * @param policyFile a policy file to use instead of {@code .tollgate/policy.yml} as of the base
   * @param baseCandidates the bases to try, in order, when the event names none
   * @throws MissingBaseException when the event names no base and none of the candidates exists
   * @throws TollgateException as {@link MergeGateService#evaluate} throws it
   */
  public MergeGateResult evaluate(
      Path checkout,
      Optional<MergeGateRequest.PolicyFile> policyFile,
      List<String> baseCandidates) {
    MergeGateRequest.Builder request =
        MergeGateRequest.builder()
            .repository(checkout)
            .baseCandidates(baseCandidates)
            .source(GithubFacts.source(target, client, environment.repository()));
    policyFile.ifPresent(request::policyFile);
    try {
      return service.evaluate(request.build());
    } catch (MissingBaseException e) {
      // Like a bad option, a missing base is the step's own mistake: it is not the commit's.
      throw e;
    } catch (TollgateException e) {
      if (!(e instanceof GithubApiException)) {
        reportCouldNotGate(e);
      }
      throw e;
    }
  }

  private void reportCouldNotGate(TollgateException e) {
    try {
      client.report(
          environment.repository(),
          CommitReport.builder()
              .sha(target.headSha())
              .context("tollgate/" + key.value())
              .checkName(checkName)
              .outcome(GateStatus.ERROR)
              .title("Merge gate: could not run")
              .description("could not run: " + e.getMessage())
              .summary(CommentBody.of("The merge gate could not run: " + e.getMessage()))
              .targetUrl(environment.runUrl())
              .externalId(externalId())
              .build());
    } catch (RuntimeException secondary) {
      e.addSuppressed(secondary);
    }
  }

  /**
   * What publishing did.
   *
   * @param comment what happened to the sticky comment
   * @param commitReport where the status or check run landed; empty when GitHub failed to take it
   * @param failures GitHub's failures while posting, first the comment's, then the status's
   * @param notPermitted why the comment or status was not posted and how to post it, when the token
   *     may not write them
   * @param reportJson the JSON report in the report folder
   */
  public record Publication(
      CommentResult comment,
      Optional<CommitReportResult> commitReport,
      List<GithubApiException> failures,
      Optional<String> notPermitted,
      Path reportJson) {
    /** Checks the parts and copies the failures. */
    public Publication {
      Objects.requireNonNull(comment, "comment");
      Objects.requireNonNull(commitReport, "commitReport");
      failures = List.copyOf(failures);
      Objects.requireNonNull(notPermitted, "notPermitted");
      Objects.requireNonNull(reportJson, "reportJson");
    }
  }

  /**
   * Publishes {@code result}: writes the report folder and the job summary, keeps the sticky
   * comment, sets the commit status or check run and writes the step outputs ({@code result},
   * {@code blocking-count}, {@code comment-url}, {@code report-path}). Posting is best effort piece
   * by piece: a comment GitHub fails to take does not keep the status unset, and the failures are
   * returned rather than thrown.
   *
   * @throws GithubApiException when GitHub rejects the token (401): nothing else is tried with it
   * @throws TollgateException when the report folder cannot be written
   */
  public Publication publish(MergeGateResult result) {
    GateHeading heading =
        GateHeading.of(
            result,
            environment.runUrl(),
            Optional.of(environment.sourceUrl(result.change().headCommit())));
    String docs = renderOptions.docsBaseUrl();
    List<String> versions = GateMarkdown.versions(result.verdict(), heading, docs);
    Path reportJson = reportDir.resolve("report.json");
    writeReportFolder(result, versions);
    environment
        .summaryFile()
        .ifPresent(
            f ->
                StepSummary.at(f)
                    .append(
                        GateMarkdown.summary(result.verdict(), heading, docs),
                        "The full report is " + reportJson + " on the runner."));

    GateStatus status = result.verdict().verdict().status();
    List<GithubApiException> failures = new ArrayList<>();
    CommentResult comment;
    try {
      comment =
          target.commentOn().isPresent()
              ? client.comment(
                  environment.repository(),
                  CommentRequest.builder()
                      .pullRequest(target.commentOn().getAsInt())
                      .key(key)
                      .mode(commentMode)
                      .onPass(passing)
                      .passed(status == GateStatus.PASS)
                      .body(CommentBody.of(versions, environment.runUrl()))
                      .passingBody(GateMarkdown.passing(result.verdict(), heading))
                      .build())
              : nothing(
                  "the " + target.event().name() + " event has no pull request to comment on");
    } catch (GithubApiException e) {
      if (e.reason() == GithubApiException.Reason.UNAUTHORIZED) {
        throw e;
      }
      failures.add(e);
      comment = nothing(e.getMessage());
    }
    Optional<CommitReportResult> posted;
    try {
      posted =
          Optional.of(
              client.report(
                  environment.repository(),
                  CommitReport.builder()
                      .sha(target.headSha())
                      .context("tollgate/" + key.value())
                      .checkName(checkName)
                      .outcome(status)
                      .title(GateMarkdown.title(result.verdict()))
                      .description(GateMarkdown.description(result.verdict()))
                      .summary(CommentBody.of(versions, environment.runUrl()))
                      .annotations(VerdictRenderer.toReport(result, renderOptions).findings())
                      .targetUrl(environment.runUrl())
                      .externalId(externalId())
                      .build()));
    } catch (GithubApiException e) {
      if (e.reason() == GithubApiException.Reason.UNAUTHORIZED) {
        throw e;
      }
      failures.add(e);
      posted = Optional.empty();
    }
    Optional<String> notPermitted = notPermitted(comment, posted);
    notPermitted.ifPresent(
        message ->
            environment
                .summaryFile()
                .ifPresent(
                    f ->
                        StepSummary.at(f)
                            .append("\n> [!NOTE]\n> " + message.replace("\n", " ") + "\n", "")));

    String outcome =
        !failures.isEmpty()
            ? "error"
            : status == GateStatus.PASS
                ? "pass"
                : status == GateStatus.BLOCKED ? "blocked" : "error";
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("result", outcome);
    outputs.put("blocking-count", Long.toString(result.verdict().verdict().failures().size()));
    outputs.put("comment-url", comment.url().orElse(""));
    outputs.put("report-path", reportJson.toString());
    environment.outputFile().ifPresent(f -> OutputFile.at(f).write(outputs));
    return new Publication(comment, posted, failures, notPermitted, reportJson);
  }

  private static CommentResult nothing(String why) {
    return new CommentResult(CommentResult.Action.NONE, Optional.empty(), 0, Optional.of(why));
  }

  private void writeReportFolder(MergeGateResult result, List<String> versions) {
    var meta = JsonText.mapper().createObjectNode();
    meta.put("repository", environment.repository().toString());
    if (target.commentOn().isPresent()) {
      meta.put("pullRequest", target.commentOn().getAsInt());
    } else {
      meta.putNull("pullRequest");
    }
    meta.put("headSha", target.headSha());
    meta.put("key", key.value());
    meta.put("verdict", result.verdict().verdict().status().label());
    Map<String, String> files = new LinkedHashMap<>();
    files.put("report.json", VerdictRenderer.of(ReportFormat.JSON).render(result, renderOptions));
    files.put(
        "comment.md",
        CommentBody.of(versions, environment.runUrl()).fit(CommentBody.GITHUB_COMMENT_LIMIT - 200));
    files.put("pull-request.json", JsonText.pretty(meta));
    ReportFolder.write(reportDir, files);
  }

  private Optional<String> notPermitted(
      CommentResult comment, Optional<CommitReportResult> posted) {
    List<String> refused = new ArrayList<>();
    if (comment.action() == CommentResult.Action.NOT_PERMITTED) {
      refused.add("the sticky comment");
    }
    if (posted.map(p -> p.kind() == CommitReportResult.Kind.NOT_PERMITTED).orElse(false)) {
      refused.add("the commit status");
    }
    if (refused.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "The token may not write "
            + String.join(" and ", refused)
            + " (a fork's pull request gets a read-only token), so they were not posted; the"
            + " verdict, the summary and the annotations stand. The report is saved in "
            + reportDir
            + ": upload it as an artifact and post it from a workflow_run workflow (see"
            + " docs/action.md#fork-pull-requests and examples/workflows/fork-pr-report.yml).");
  }

  private String externalId() {
    return "tollgate:"
        + environment.runId().orElse("local")
        + ":"
        + Integer.toHexString(key.value().hashCode());
  }
}
