package dev.tollgate.actions.github;

import dev.tollgate.actions.github.GithubApiException.Reason;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.gate.GateStatus;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHCheckRunBuilder;
import org.kohsuke.github.GHCommitState;

/**
 * Puts a {@link CommitReport} on its commit: a check run when a name is given and the token may
 * create one (else a commit status), or a commit status.
 *
 * <p>Creating either is a {@code POST} and is never repeated blindly: when its answer is lost, the
 * commit's check runs (by external id) or statuses (by context, state and description) are read to
 * see whether it landed, and it is posted once more only when it did not.
 */
final class CommitReportWriter {
  private final HubRepository repo;
  private final Clock clock;

  /** A writer for {@code repo}; {@code clock} dates the check run's completion. */
  public CommitReportWriter(HubRepository repo, Clock clock) {
    this.repo = repo;
    this.clock = clock;
  }

  /** Posts the report; a 403 from the status propagates (the caller decides what it means). */
  public CommitReportResult publish(CommitReport report) {
    if (report.checkName().isPresent()) {
      try {
        return checkRun(report, report.checkName().get());
      } catch (GithubApiException e) {
        if (e.reason() != Reason.FORBIDDEN) {
          throw e;
        }
        status(report);
        return new CommitReportResult(
            CommitReportResult.Kind.STATUS,
            Optional.empty(),
            Optional.of(
                "the token may not create check runs ("
                    + e.githubMessage()
                    + "; give the job 'checks: write'), so a commit status "
                    + report.context()
                    + " was set instead"));
      }
    }
    status(report);
    return new CommitReportResult(
        CommitReportResult.Kind.STATUS, Optional.empty(), Optional.empty());
  }

  private CommitReportResult checkRun(CommitReport report, String name) {
    UnaryOperator<GHCheckRunBuilder> fill = b -> fill(b, report);
    HubRepository.CheckRun run;
    try {
      run = repo.createCheckRun(report.sha(), name, fill);
    } catch (GithubApiException e) {
      if (!lost(e)) {
        throw e;
      }
      Optional<HubRepository.CheckRun> landed =
          repo.checkRuns(report.sha(), name).stream()
              .filter(r -> r.externalId().filter(report.externalId()::equals).isPresent())
              .findFirst();
      run =
          landed.isPresent()
              ? repo.updateCheckRun(landed.get().id(), fill)
              : repo.createCheckRun(report.sha(), name, fill);
    }
    return new CommitReportResult(CommitReportResult.Kind.CHECK_RUN, run.url(), Optional.empty());
  }

  private GHCheckRunBuilder fill(GHCheckRunBuilder b, CommitReport report) {
    GHCheckRunBuilder.Output output =
        new GHCheckRunBuilder.Output(
            report.title(), report.summary().fit(CommentBody.GITHUB_CHECK_OUTPUT_LIMIT));
    for (Diagnostic d : report.annotations()) {
      annotation(d).ifPresent(output::add);
    }
    b.withStatus(GHCheckRun.Status.COMPLETED)
        .withConclusion(
            report.outcome() == GateStatus.PASS
                ? GHCheckRun.Conclusion.SUCCESS
                : GHCheckRun.Conclusion.FAILURE)
        .withCompletedAt(Date.from(clock.instant()))
        .withExternalID(report.externalId())
        .add(output);
    report.targetUrl().ifPresent(b::withDetailsURL);
    return b;
  }

  /** A check-run annotation; GitHub needs a file and a line, so a whole file is line 1. */
  static Optional<GHCheckRunBuilder.Annotation> annotation(Diagnostic d) {
    Location l = d.location();
    if (l.file().isEmpty()) {
      return Optional.empty();
    }
    int line = Math.max(1, l.line());
    GHCheckRun.AnnotationLevel level =
        switch (d.severity()) {
          case ERROR -> GHCheckRun.AnnotationLevel.FAILURE;
          case WARNING -> GHCheckRun.AnnotationLevel.WARNING;
          case INFO -> GHCheckRun.AnnotationLevel.NOTICE;
        };
    String message = d.message() + d.hint().map(h -> "\n\n" + h).orElse("");
    GHCheckRunBuilder.Annotation a =
        new GHCheckRunBuilder.Annotation(l.file(), line, level, cut(message, 60_000))
            .withTitle(cut(d.ruleId(), 255));
    if (l.line() > 0 && l.column() > 0) {
      a.withStartColumn(l.column()).withEndColumn(l.column());
    }
    return Optional.of(a);
  }

  private void status(CommitReport report) {
    GHCommitState state =
        switch (report.outcome()) {
          case PASS -> GHCommitState.SUCCESS;
          case BLOCKED -> GHCommitState.FAILURE;
          case ERROR -> GHCommitState.ERROR;
        };
    String target = report.targetUrl().orElse(null);
    try {
      repo.createStatus(report.sha(), state, target, report.description(), report.context());
    } catch (GithubApiException e) {
      if (!lost(e)) {
        throw e;
      }
      List<HubRepository.Status> seen = repo.statuses(report.sha());
      boolean landed =
          seen.stream()
              .filter(s -> s.context().equals(report.context()))
              .findFirst()
              .filter(s -> s.state() == state && s.description().equals(report.description()))
              .isPresent();
      if (!landed) {
        repo.createStatus(report.sha(), state, target, report.description(), report.context());
      }
    }
  }

  private static boolean lost(GithubApiException e) {
    return e.reason() == Reason.SERVER_ERROR || e.reason() == Reason.UNREACHABLE;
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
