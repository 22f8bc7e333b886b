package dev.tollgate.cli.gate;

import dev.tollgate.actions.github.ActionsEnvironment;
import dev.tollgate.actions.github.CommentKey;
import dev.tollgate.actions.github.CommentResult;
import dev.tollgate.actions.github.CommitReportResult;
import dev.tollgate.actions.github.FailOn;
import dev.tollgate.actions.github.GateTarget;
import dev.tollgate.actions.github.GithubApiException;
import dev.tollgate.actions.github.GithubClient;
import dev.tollgate.actions.github.GithubEvent;
import dev.tollgate.actions.github.GithubGate;
import dev.tollgate.actions.github.GithubToken;
import dev.tollgate.actions.report.RenderOptions;
import dev.tollgate.actions.report.ReportFormat;
import dev.tollgate.actions.report.VerdictRenderer;
import dev.tollgate.actions.workflow.WorkflowCommands;
import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.GithubSetup;
import dev.tollgate.cli.common.ReportOptions;
import dev.tollgate.cli.common.Seams;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.gate.GateStatus;
import dev.tollgate.core.repo.CommitInfo;
import dev.tollgate.policy.MergeGateRequest;
import dev.tollgate.policy.MergeGateResult;
import dev.tollgate.policy.MissingBaseException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tollgate gate --github}: the merge gate as a GitHub Actions step. It sets up the GitHub
 * client from the step's environment, has {@link GithubGate} evaluate what the event names, prints
 * the report and the annotations, has {@link GithubGate} publish the verdict (report folder, job
 * summary, sticky comment, status or check run, step outputs), says what was posted, and turns the
 * verdict into the exit code.
 */
public final class GithubGateRun {
  private final CommandSpec spec;
  private final Seams seams;
  private final GithubOptions options;
  private final ReportOptions report;
  private final PrintWriter out;
  private final PrintWriter err;

  GithubGateRun(CommandSpec spec, Seams seams, GithubOptions options, ReportOptions report) {
    this.spec = spec;
    this.seams = seams;
    this.options = options;
    this.report = report;
    this.out = spec.commandLine().getOut();
    this.err = spec.commandLine().getErr();
  }

  /**
   * Runs the gate in GitHub mode on the checkout in {@code checkout}; returns the exit code.
   *
   * @param policyFile the {@code --policy} file, checked once the target is known
   */
  int run(
      Path checkout,
      ReportFormat format,
      Supplier<Optional<MergeGateRequest.PolicyFile>> policyFile) {
    ActionsEnvironment env = GithubSetup.actionsEnvironment(seams);
    GithubToken token = GithubSetup.token(env, out);
    FailOn failOn = options.failOn();
    CommentKey key = options.key().orElseGet(env::defaultCommentKey);
    GithubEvent event = GithubEvent.read(env);
    GithubClient client =
        GithubSetup.client(env, token, Optional.ofNullable(options.commentAuthor), seams);
    // A pull-request event's payload has what the target needs: no request.
    GateTarget target = GateTarget.resolve(env, event, client, options.pullRequest());
    Optional<MergeGateRequest.PolicyFile> policy = policyFile.get();
    RenderOptions renderOptions = report.renderOptions();
    GithubGate.Builder builder =
        GithubGate.builder()
            .service(GateCommand.service(seams))
            .environment(env)
            .client(client)
            .target(target)
            .commentKey(key)
            .commentMode(options.commentMode())
            .passing(options.passing())
            .checkName(options.checkName())
            .renderOptions(renderOptions);
    if (options.reportDir != null) {
      builder.reportDir(ReportOptions.path(spec, options.reportDir, "--report-dir"));
    }
    GithubGate gate = builder.build();

    MergeGateResult result;
    try {
      result = gate.evaluate(checkout, policy, GateCommand.baseCandidates(seams));
    } catch (MissingBaseException e) {
      throw GateCommand.missingBase(spec, e);
    } catch (TollgateException e) {
      for (Throwable secondary : e.getSuppressed()) {
        err.println("tollgate: could not set the error status either: " + secondary.getMessage());
      }
      throw e;
    }

    // What needs no write access comes first, so that a read-only token loses nothing but posting.
    report.emit(VerdictRenderer.of(format).render(result, renderOptions));
    if (format != ReportFormat.GITHUB || report.output != null) {
      out.print(VerdictRenderer.of(ReportFormat.GITHUB).render(result, renderOptions));
      out.flush();
    }
    GithubGate.Publication published = gate.publish(result);
    say(published, target, key);
    published
        .notPermitted()
        .ifPresent(
            message -> {
              out.println(
                  "::warning title=Tollgate could not post::"
                      + WorkflowCommands.escapeData(message));
              out.flush();
              err.println("tollgate: " + message);
              err.flush();
            });

    List<GithubApiException> failures = published.failures();
    if (!failures.isEmpty()) {
      for (GithubApiException f : failures.subList(1, failures.size())) {
        err.println("tollgate: could not finish: " + f.getMessage());
      }
      throw failures.get(0);
    }
    if (result.verdict().verdict().status() == GateStatus.PASS || failOn == FailOn.NEVER) {
      return ExitCode.OK;
    }
    return ExitCode.FINDINGS;
  }

  private void say(GithubGate.Publication published, GateTarget target, CommentKey key) {
    CommentResult comment = published.comment();
    switch (comment.action()) {
      case CREATED -> err.println("tollgate: posted the comment " + comment.url().orElse(""));
      case UPDATED, RECREATED ->
          err.println("tollgate: updated the comment " + comment.url().orElse(""));
      case UNCHANGED ->
          err.println("tollgate: the comment is up to date " + comment.url().orElse(""));
      case DELETED -> err.println("tollgate: deleted the comment: every gate passes");
      case NONE -> {
        if (published.failures().isEmpty()) {
          err.println("tollgate: no comment: " + comment.note().orElse(""));
        }
      }
      case NOT_PERMITTED -> {
        // Explained below, together with the status.
      }
    }
    if (comment.duplicatesDeleted() > 0) {
      err.println(
          "tollgate: deleted "
              + comment.duplicatesDeleted()
              + " duplicate comment(s) left by runs that raced");
    }
    published
        .commitReport()
        .ifPresent(
            p -> {
              switch (p.kind()) {
                case CHECK_RUN ->
                    err.println(
                        "tollgate: check run set on "
                            + CommitInfo.abbreviate(target.headSha())
                            + " "
                            + p.url().orElse(""));
                case STATUS ->
                    err.println(
                        "tollgate: commit status tollgate/"
                            + key.value()
                            + " set on "
                            + CommitInfo.abbreviate(target.headSha()));
                case NOT_PERMITTED -> {
                  // Explained below.
                }
              }
              p.note()
                  .filter(n -> p.kind() != CommitReportResult.Kind.NOT_PERMITTED)
                  .ifPresent(n -> err.println("tollgate: " + n));
            });
    err.flush();
  }
}
