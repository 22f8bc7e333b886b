package dev.tollgate.actions.github;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.actions.github.GithubApiException.Reason;
import dev.tollgate.actions.github.RestRepository.CheckRunContent;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.gate.GateStatus;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts a {@link CommitReport} on its commit: a check run when a name is given and the token may
 * create one (else a commit status), or a commit status.
 *
 * <p>Creating either is a {@code POST} and is never repeated blindly: when its answer is lost, the
 * commit's check runs (by external id) or statuses (by context, state and description) are read to
 * see whether it landed, and it is posted once more only when it did not.
 */
final class CommitReportWriter {
  private final RestRepository repo;
  private final Clock clock;

  /** A writer for {@code repo}; {@code clock} dates the check run's completion. */
  public CommitReportWriter(RestRepository repo, Clock clock) {
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
    CheckRunContent fill = fill(report);
    RestRepository.CheckRun run;
    try {
      run = repo.createCheckRun(report.sha(), name, fill);
    } catch (GithubApiException e) {
      if (!lost(e)) {
        throw e;
      }
      Optional<RestRepository.CheckRun> landed =
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

  private CheckRunContent fill(CommitReport report) {
    ObjectNode fields = RestRepository.JSON.createObjectNode();
    fields.put("status", "completed");
    fields.put("conclusion", report.outcome() == GateStatus.PASS ? "success" : "failure");
    fields.put(
        "completed_at",
        DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)));
    fields.put("external_id", report.externalId());
    report.targetUrl().ifPresent(u -> fields.put("details_url", u));
    List<ObjectNode> annotations = new ArrayList<>();
    for (Diagnostic d : report.annotations()) {
      annotation(d).ifPresent(annotations::add);
    }
    return new CheckRunContent(
        fields,
        report.title(),
        report.summary().fit(CommentBody.GITHUB_CHECK_OUTPUT_LIMIT),
        annotations);
  }

  /** A check-run annotation; GitHub needs a file and a line, so a whole file is line 1. */
  static Optional<ObjectNode> annotation(Diagnostic d) {
    Location l = d.location();
    if (l.file().isEmpty()) {
      return Optional.empty();
    }
    int line = Math.max(1, l.line());
    String level =
        switch (d.severity()) {
          case ERROR -> "failure";
          case WARNING -> "warning";
          case INFO -> "notice";
        };
    String message = d.message() + d.hint().map(h -> "\n\n" + h).orElse("");
    ObjectNode a = RestRepository.JSON.createObjectNode();
    a.put("path", l.file());
    a.put("start_line", line);
    a.put("end_line", line);
    a.put("annotation_level", level);
    a.put("message", cut(message, 60_000));
    a.put("title", cut(d.ruleId(), 255));
    if (l.line() > 0 && l.column() > 0) {
      a.put("start_column", l.column());
      a.put("end_column", l.column());
    }
    return Optional.of(a);
  }

  private void status(CommitReport report) {
    String state =
        switch (report.outcome()) {
          case PASS -> "success";
          case BLOCKED -> "failure";
          case ERROR -> "error";
        };
    String target = report.targetUrl().orElse(null);
    try {
      repo.createStatus(report.sha(), state, target, report.description(), report.context());
    } catch (GithubApiException e) {
      if (!lost(e)) {
        throw e;
      }
      List<RestRepository.Status> seen = repo.statuses(report.sha());
      boolean landed =
          seen.stream()
              .filter(s -> s.context().equals(report.context()))
              .findFirst()
              .filter(s -> s.state().equals(state) && s.description().equals(report.description()))
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
