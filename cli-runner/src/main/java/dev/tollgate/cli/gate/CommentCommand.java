package dev.tollgate.cli.gate;

import dev.tollgate.actions.github.ActionsEnvironment;
import dev.tollgate.actions.github.CommentBody;
import dev.tollgate.actions.github.CommentKey;
import dev.tollgate.actions.github.CommentMode;
import dev.tollgate.actions.github.CommentRequest;
import dev.tollgate.actions.github.CommentResult;
import dev.tollgate.actions.github.GithubClient;
import dev.tollgate.actions.github.GithubEvent;
import dev.tollgate.actions.github.GithubToken;
import dev.tollgate.actions.workflow.OutputFile;
import dev.tollgate.actions.workflow.WorkflowCommands;
import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.GithubSetup;
import dev.tollgate.cli.common.ReportOptions;
import dev.tollgate.cli.common.Seams;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code tollgate comment}: posts or updates one sticky pull-request comment from a Markdown file,
 * for reports of other tools (or a saved Tollgate report posted from a trusted workflow). Same
 * rules as the gate's own comment: found by its marker and its author, edited in place, duplicates
 * from racing runs removed, cut to GitHub's size limit.
 */
@Command(
    name = "comment",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Post or update the sticky pull-request comment KEY with the Markdown in a file.",
      "Runs in a GitHub Actions step: reads GITHUB_REPOSITORY, GITHUB_API_URL and GITHUB_TOKEN,"
          + " and the pull request from the event (pull_request, pull_request_target,"
          + " issue_comment) or --pr.",
      "Exit codes: 0 posted, unchanged, or not permitted (a read-only token: warned, not failed),"
          + " 2 bad input, 3 could not finish (GitHub unreachable, token rejected)."
    })
public final class CommentCommand implements Callable<Integer> {
  private static final Set<String> PULL_REQUEST_EVENTS =
      Set.of("pull_request", "pull_request_target", "issue_comment");

  private final Seams seams;

  CommentCommand(Seams seams) {
    this.seams = seams;
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "KEY",
      description = "Which sticky comment; each key has its own, e.g. lint or coverage/java-17.")
  String key;

  @Option(
      names = "--body-file",
      required = true,
      paramLabel = "FILE",
      description = "The comment's Markdown (UTF-8). Cut to GitHub's limit with a link to the run.")
  String bodyFile;

  @Option(
      names = "--pr",
      paramLabel = "N",
      description = "The pull request (default: the event's; required for other events).")
  Integer pullRequest;

  @Option(
      names = "--head-sha",
      paramLabel = "SHA",
      description =
          "Post only if the pull request's head is still SHA (a report from another run, e.g."
              + " workflow_run, must not land on a newer or different head).")
  String headSha;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      defaultValue = "update",
      description =
          "update (edit in place), recreate (delete and re-post) or off (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--comment-author",
      paramLabel = "LOGIN",
      description =
          "The login the token comments as (default: $TOLLGATE_COMMENT_AUTHOR, else asked from"
              + " GitHub when needed; github-actions[bot] when GitHub will not say).")
  String commentAuthor;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print stack traces of unexpected failures.")
  boolean verbose;

  @Override
  public Integer call() {
    CommentKey commentKey;
    try {
      commentKey = CommentKey.of(key);
    } catch (IllegalArgumentException e) {
      throw usage("--key: " + e.getMessage());
    }
    CommentMode commentMode =
        CommentMode.parse(mode)
            .orElseThrow(
                () ->
                    usage(
                        "--mode must be one of "
                            + CommentMode.labels()
                            + " but was '"
                            + mode
                            + "'"));
    if (pullRequest != null && pullRequest < 1) {
      throw usage("--pr must be a pull request number (1 or more) but was " + pullRequest);
    }
    if (headSha != null && !headSha.matches("[0-9a-f]{40}")) {
      throw usage("--head-sha must be a 40-character commit id but was '" + headSha + "'");
    }
    if (commentAuthor != null && (commentAuthor.isBlank() || commentAuthor.contains(" "))) {
      throw usage("--comment-author must be a GitHub login but was '" + commentAuthor + "'");
    }
    String body = read(ReportOptions.path(spec, bodyFile, "--body-file"));

    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ActionsEnvironment env = GithubSetup.actionsEnvironment(seams);
    GithubToken token = GithubSetup.token(env, out);
    int number = pullRequest != null ? pullRequest : eventPullRequest(env);
    GithubClient client = GithubSetup.client(env, token, Optional.ofNullable(commentAuthor), seams);

    if (headSha != null) {
      String now = client.pullRequestHead(env.repository(), number);
      if (!now.equals(headSha)) {
        String message =
            "not posted: pull request #"
                + number
                + " is at "
                + now
                + " now, not "
                + headSha
                + "; the report is for another head";
        out.println("::warning title=Tollgate comment::" + WorkflowCommands.escapeData(message));
        err.println("tollgate: " + message);
        return ExitCode.OK;
      }
    }

    CommentResult r =
        client.comment(
            env.repository(),
            CommentRequest.always(
                number, commentKey, commentMode, CommentBody.of(List.of(body), env.runUrl())));
    switch (r.action()) {
      case CREATED -> err.println("tollgate: posted the comment " + r.url().orElse(""));
      case UPDATED, RECREATED -> err.println("tollgate: updated the comment " + r.url().orElse(""));
      case UNCHANGED -> err.println("tollgate: the comment is up to date " + r.url().orElse(""));
      case DELETED, NONE ->
          err.println("tollgate: no comment: " + r.note().orElse("nothing to do"));
      case NOT_PERMITTED -> {
        String message =
            "The token may not comment on pull request #"
                + number
                + " (a fork's pull request gets a read-only token); nothing was posted. Post from a"
                + " workflow_run workflow instead (see docs/action.md#fork-pull-requests).";
        out.println(
            "::warning title=Tollgate could not post::" + WorkflowCommands.escapeData(message));
        err.println("tollgate: " + message);
      }
    }
    if (r.duplicatesDeleted() > 0) {
      err.println(
          "tollgate: deleted "
              + r.duplicatesDeleted()
              + " duplicate comment(s) left by runs that raced");
    }
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("comment-url", r.url().orElse(""));
    env.outputFile().ifPresent(f -> OutputFile.at(f).write(outputs));
    return ExitCode.OK;
  }

  private int eventPullRequest(ActionsEnvironment env) {
    if (!PULL_REQUEST_EVENTS.contains(env.eventName())) {
      throw usage("--pr is required: the " + env.eventName() + " event names no pull request");
    }
    GithubEvent event = GithubEvent.read(env);
    if (event instanceof GithubEvent.PullRequest p) {
      return p.number();
    }
    GithubEvent.IssueComment c = (GithubEvent.IssueComment) event;
    if (!c.onPullRequest()) {
      throw TollgateException.badInput(
          "the issue_comment event is for issue #" + c.number() + ", which is not a pull request");
    }
    return c.number();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw TollgateException.badInput("--body-file " + file + " does not exist");
    } catch (MalformedInputException e) {
      throw TollgateException.badInput("--body-file " + file + " is not valid UTF-8");
    } catch (IOException e) {
      throw TollgateException.badInput(
          "--body-file " + file + " cannot be read: " + e.getMessage());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
