package dev.tollgate.cli;

import dev.tollgate.actions.github.ActionsEnvironment;
import dev.tollgate.actions.github.CommentBody;
import dev.tollgate.actions.github.CommentKey;
import dev.tollgate.actions.github.CommentRequest;
import dev.tollgate.actions.github.CommentResult;
import dev.tollgate.actions.github.CommitReport;
import dev.tollgate.actions.github.CommitReportResult;
import dev.tollgate.actions.github.FailOn;
import dev.tollgate.actions.github.GateTarget;
import dev.tollgate.actions.github.GithubApiException;
import dev.tollgate.actions.github.GithubClient;
import dev.tollgate.actions.github.GithubEvent;
import dev.tollgate.actions.github.GithubFacts;
import dev.tollgate.actions.github.GithubToken;
import dev.tollgate.actions.report.GateHeading;
import dev.tollgate.actions.report.GateMarkdown;
import dev.tollgate.actions.report.JsonText;
import dev.tollgate.actions.report.ReportFormat;
import dev.tollgate.actions.report.ReportRenderer;
import dev.tollgate.actions.workflow.OutputFile;
import dev.tollgate.actions.workflow.StepSummary;
import dev.tollgate.actions.workflow.WorkflowCommands;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.gate.GateStatus;
import dev.tollgate.core.repo.RepositoryView;
import dev.tollgate.core.report.Report;
import dev.tollgate.policy.MergeGate;
import dev.tollgate.policy.MergeVerdict;
import dev.tollgate.policy.PullRequestFacts;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tollgate gate --github}: the merge gate as a GitHub Actions step. It gates what the event
 * names, prints the report and the annotations, writes the job summary, a report folder and the
 * step outputs, keeps the sticky comment and sets the status or check run.
 *
 * <p>A token that may not write (a fork's pull request) does not fail the step: everything that
 * needs no write access is still done, and the summary says how to post from a trusted workflow.
 */
final class GithubGateRun {
  private final GateCommand cmd;
  private final PrintWriter out;
  private final PrintWriter err;

  private GithubGateRun(GateCommand cmd) {
    this.cmd = cmd;
    this.out = cmd.spec.commandLine().getOut();
    this.err = cmd.spec.commandLine().getErr();
  }

  /** Runs the gate in GitHub mode on the checkout holding {@code dir}; returns the exit code. */
  static int run(GateCommand cmd, Path dir, ReportFormat format) {
    return new GithubGateRun(cmd).run(dir, format);
  }

  private int run(Path dir, ReportFormat format) {
    ActionsEnvironment env = GithubSetup.actionsEnvironment();
    GithubToken token = GithubSetup.token(env, out);
    GithubOptions o = cmd.github;
    FailOn failOn = o.failOn();
    CommentKey key = o.key().orElseGet(env::defaultCommentKey);
    GithubEvent event = GithubEvent.read(env);
    GithubClient client =
        GithubSetup.client(env, token, Optional.ofNullable(o.commentAuthor), GateCommand.clock);
    // A pull-request event's payload has what the target needs: no request.
    GateTarget target = GateTarget.resolve(env, event, client, o.pullRequest());
    Path policyFile = cmd.policyFile();

    MergeVerdict verdict;
    GateCommand.Subject subject;
    List<String> notes;
    try (RepositoryView view = RepositoryView.open(dir)) {
      GithubFacts facts =
          GithubFacts.gather(target, view, client, env.repository(), () -> cmd.defaultBase(view));
      GateCommand.PolicySource source =
          policyFile != null
              ? GateCommand.PolicySource.ofFile(policyFile, cmd.policy)
              : GateCommand.PolicySource.ofRepository(
                  (ref, path) -> facts.fileAt(ref, path),
                  facts.baseCommit(),
                  facts.headCommit(),
                  "at base "
                      + facts.baseLabel()
                      + " ("
                      + abbrev(facts.baseCommit())
                      + ") or head "
                      + abbrev(facts.headCommit()));
      MergeGate gate = GateCommand.load(view, source);
      // Only what the policy reads is looked up: no reviews unless approvals are required.
      PullRequestFacts pr =
          facts.facts(new GithubFacts.Wanted(gate.readsApprovals(), gate.readsCommitMessages()));
      verdict = gate.evaluate(pr, GateCommand.clock);
      subject =
          new GateCommand.Subject(
              facts.baseLabel(),
              facts.baseCommit(),
              facts.headLabel(),
              facts.headCommit(),
              pr.branch(),
              source.shown(),
              source.ref().map(r -> r.equals(facts.baseCommit()) ? facts.baseLabel() : r),
              pr.changes());
      notes = facts.notes();
    } catch (TollgateException e) {
      if (!(e instanceof GithubApiException)) {
        reportCouldNotGate(client, env, target, key, e);
      }
      throw e;
    }

    // What needs no write access comes first, so that a read-only token loses nothing but posting.
    cmd.report.emit(cmd.render(format, verdict, subject));
    Report report = cmd.toReport(verdict, subject);
    if (format != ReportFormat.GITHUB || cmd.report.output != null) {
      out.print(ReportRenderer.of(ReportFormat.GITHUB).render(report, cmd.renderOptions()));
      out.flush();
    }
    GateHeading heading =
        new GateHeading(
            subject.baseRef(),
            subject.headRef(),
            subject.headCommit(),
            subject.policyFile(),
            subject.policyRef(),
            env.runUrl(),
            notes);
    String docs = cmd.report.docsBaseUrl;
    List<String> versions = GateMarkdown.versions(verdict, heading, docs);
    Path reportDir = reportDir(env);
    Path reportJson = reportDir.resolve("report.json");
    writeReportFolder(reportDir, verdict, subject, target, env, key, versions);
    env.summaryFile()
        .ifPresent(
            f ->
                StepSummary.at(f)
                    .append(
                        GateMarkdown.summary(verdict, heading, docs),
                        "The full report is " + reportJson + " on the runner."));

    GateStatus status = verdict.verdict().status();
    // Posting is best effort piece by piece: a failed comment must not keep the status unset.
    List<GithubApiException> failures = new ArrayList<>();
    CommentResult comment;
    try {
      comment =
          target.commentOn().isPresent()
              ? client.comment(
                  env.repository(),
                  new CommentRequest(
                      target.commentOn().getAsInt(),
                      key,
                      o.commentMode(),
                      o.passing(),
                      status == GateStatus.PASS,
                      CommentBody.of(versions, env.runUrl()),
                      GateMarkdown.passing(verdict, heading)))
              : new CommentResult(
                  CommentResult.Action.NONE,
                  Optional.empty(),
                  0,
                  Optional.of("the " + event.name() + " event has no pull request to comment on"));
    } catch (GithubApiException e) {
      if (e.reason() == GithubApiException.Reason.UNAUTHORIZED) {
        throw e;
      }
      failures.add(e);
      comment =
          new CommentResult(
              CommentResult.Action.NONE, Optional.empty(), 0, Optional.of(e.getMessage()));
    }
    Optional<CommitReportResult> posted;
    try {
      posted =
          Optional.of(
              client.report(
                  env.repository(),
                  new CommitReport(
                      target.headSha(),
                      "tollgate/" + key.value(),
                      o.checkName(),
                      status,
                      GateMarkdown.title(verdict),
                      GateMarkdown.description(verdict),
                      CommentBody.of(versions, env.runUrl()),
                      report.findings(),
                      env.runUrl(),
                      externalId(env, key))));
    } catch (GithubApiException e) {
      if (e.reason() == GithubApiException.Reason.UNAUTHORIZED) {
        throw e;
      }
      failures.add(e);
      posted = Optional.empty();
    }
    say(comment, posted, target, key, failures.isEmpty());
    explainIfNotPermitted(comment, posted, env, reportDir);

    long blocking = verdict.verdict().failures().size();
    String result =
        !failures.isEmpty()
            ? "error"
            : status == GateStatus.PASS
                ? "pass"
                : status == GateStatus.BLOCKED ? "blocked" : "error";
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("result", result);
    outputs.put("blocking-count", Long.toString(blocking));
    outputs.put("comment-url", comment.url().orElse(""));
    outputs.put("report-path", reportJson.toString());
    env.outputFile().ifPresent(f -> OutputFile.at(f).write(outputs));

    if (!failures.isEmpty()) {
      for (GithubApiException f : failures.subList(1, failures.size())) {
        err.println("tollgate: could not finish: " + f.getMessage());
      }
      throw failures.get(0);
    }
    if (status == GateStatus.PASS || failOn == FailOn.NEVER) {
      return ExitCode.OK;
    }
    return ExitCode.FINDINGS;
  }

  /** Best effort: a gate that cannot run says so on the commit, rather than leaving it pending. */
  private void reportCouldNotGate(
      GithubClient client,
      ActionsEnvironment env,
      GateTarget target,
      CommentKey key,
      TollgateException e) {
    try {
      client.report(
          env.repository(),
          new CommitReport(
              target.headSha(),
              "tollgate/" + key.value(),
              cmd.github.checkName(),
              GateStatus.ERROR,
              "Merge gate: could not run",
              "could not run: " + e.getMessage(),
              CommentBody.of("The merge gate could not run: " + e.getMessage()),
              List.of(),
              env.runUrl(),
              externalId(env, key)));
    } catch (RuntimeException secondary) {
      err.println("tollgate: could not set the error status either: " + secondary.getMessage());
    }
  }

  private void writeReportFolder(
      Path dir,
      MergeVerdict verdict,
      GateCommand.Subject subject,
      GateTarget target,
      ActionsEnvironment env,
      CommentKey key,
      List<String> versions) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "cannot create the report folder " + dir + ": " + e.getMessage(),
          e);
    }
    AtomicFiles.write(
        dir.resolve("report.json"), "report.json", cmd.render(ReportFormat.JSON, verdict, subject));
    AtomicFiles.write(
        dir.resolve("comment.md"),
        "comment.md",
        CommentBody.of(versions, env.runUrl()).fit(CommentBody.GITHUB_COMMENT_LIMIT - 200));
    var meta = JsonText.mapper().createObjectNode();
    meta.put("repository", env.repository().toString());
    if (target.commentOn().isPresent()) {
      meta.put("pullRequest", target.commentOn().getAsInt());
    } else {
      meta.putNull("pullRequest");
    }
    meta.put("headSha", target.headSha());
    meta.put("key", key.value());
    meta.put("verdict", verdict.verdict().status().label());
    AtomicFiles.write(dir.resolve("pull-request.json"), "pull-request.json", JsonText.pretty(meta));
  }

  private Path reportDir(ActionsEnvironment env) {
    if (cmd.github.reportDir != null) {
      return ReportOptions.path(cmd.spec, cmd.github.reportDir, "--report-dir");
    }
    return env.runnerTemp()
        .map(t -> t.resolve("tollgate-report"))
        .orElse(Path.of("tollgate-report"));
  }

  private void say(
      CommentResult comment,
      Optional<CommitReportResult> posted,
      GateTarget target,
      CommentKey key,
      boolean commentWorked) {
    switch (comment.action()) {
      case CREATED -> err.println("tollgate: posted the comment " + comment.url().orElse(""));
      case UPDATED, RECREATED ->
          err.println("tollgate: updated the comment " + comment.url().orElse(""));
      case UNCHANGED ->
          err.println("tollgate: the comment is up to date " + comment.url().orElse(""));
      case DELETED -> err.println("tollgate: deleted the comment: every gate passes");
      case NONE -> {
        if (commentWorked) {
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
    posted.ifPresent(
        p -> {
          switch (p.kind()) {
            case CHECK_RUN ->
                err.println(
                    "tollgate: check run set on "
                        + abbrev(target.headSha())
                        + " "
                        + p.url().orElse(""));
            case STATUS ->
                err.println(
                    "tollgate: commit status tollgate/"
                        + key.value()
                        + " set on "
                        + abbrev(target.headSha()));
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

  private void explainIfNotPermitted(
      CommentResult comment,
      Optional<CommitReportResult> posted,
      ActionsEnvironment env,
      Path reportDir) {
    List<String> refused = new ArrayList<>();
    if (comment.action() == CommentResult.Action.NOT_PERMITTED) {
      refused.add("the sticky comment");
    }
    if (posted.map(p -> p.kind() == CommitReportResult.Kind.NOT_PERMITTED).orElse(false)) {
      refused.add("the commit status");
    }
    if (refused.isEmpty()) {
      return;
    }
    String what = String.join(" and ", refused);
    String message =
        "The token may not write "
            + what
            + " (a fork's pull request gets a read-only token), so they were not posted; the"
            + " verdict, the summary and the annotations stand. The report is saved in "
            + reportDir
            + ": upload it as an artifact and post it from a workflow_run workflow (see"
            + " docs/action.md#fork-pull-requests and examples/workflows/fork-pr-report.yml).";
    out.println("::warning title=Tollgate could not post::" + WorkflowCommands.escapeData(message));
    out.flush();
    err.println("tollgate: " + message);
    err.flush();
    env.summaryFile()
        .ifPresent(
            f ->
                StepSummary.at(f)
                    .append("\n> [!NOTE]\n> " + message.replace("\n", " ") + "\n", ""));
  }

  private static String externalId(ActionsEnvironment env, CommentKey key) {
    return "tollgate:"
        + env.runId().orElse("local")
        + ":"
        + Integer.toHexString(key.value().hashCode());
  }

  private static String abbrev(String sha) {
    return sha.length() > 7 ? sha.substring(0, 7) : sha;
  }
}
