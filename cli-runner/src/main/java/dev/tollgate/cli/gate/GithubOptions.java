package dev.tollgate.cli.gate;

import dev.tollgate.actions.github.CommentKey;
import dev.tollgate.actions.github.CommentMode;
import dev.tollgate.actions.github.FailOn;
import dev.tollgate.actions.github.PassingComment;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The options of {@code tollgate gate --github}: GitHub mode itself and how its verdict reaches the
 * pull request (comment, status or check run, failure policy, report folder).
 */
public final class GithubOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--github",
      description =
          "Run as a GitHub Actions step: read the GITHUB_* environment and the event, gate the pull"
              + " request it names (facts from the GitHub API), and also write annotations, the job"
              + " summary, step outputs and a JSON report, keep one sticky PR comment and set a"
              + " commit status or check run. Needs GITHUB_TOKEN. See docs/action.md.")
  boolean enabled;

  @Option(
      names = "--pr",
      paramLabel = "N",
      description = "(--github) Gate and comment on pull request N instead of the event's.")
  Integer pullRequest;

  @Option(
      names = "--comment",
      paramLabel = "MODE",
      defaultValue = "update",
      description =
          "(--github) The sticky comment: update (edit in place), recreate (delete and re-post) or"
              + " off (default: ${DEFAULT-VALUE}).")
  String comment;

  @Option(
      names = "--comment-key",
      paramLabel = "KEY",
      description =
          "(--github) Which sticky comment; each key has its own (default: workflow/job and the"
              + " matrix values from $TOLLGATE_MATRIX). Also names the status: tollgate/KEY.")
  String commentKey;

  @Option(
      names = "--on-pass",
      paramLabel = "WHAT",
      defaultValue = "update",
      description =
          "(--github) Once every gate passes: update (shrink the comment to a passing verdict) or"
              + " delete it (default: ${DEFAULT-VALUE}).")
  String onPass;

  @Option(
      names = "--comment-author",
      paramLabel = "LOGIN",
      description =
          "(--github) The login the token comments as, e.g. my-app[bot] for a GitHub App token"
              + " (default: $TOLLGATE_COMMENT_AUTHOR, which the action sets for the workflow's"
              + " token, else asked from GitHub when needed; github-actions[bot] when GitHub"
              + " will not say).")
  String commentAuthor;

  @Option(
      names = "--check-name",
      paramLabel = "NAME",
      description =
          "(--github) Report as a check run with this name, with annotations (needs checks:"
              + " write; falls back to a commit status). Empty: a commit status only.")
  String checkName;

  @Option(
      names = "--fail-on",
      paramLabel = "LEVEL",
      defaultValue = "error",
      description =
          "(--github) What fails the step (exit 1): error, warning or never (default:"
              + " ${DEFAULT-VALUE}). Statuses and comments report the verdict either way.")
  String failOn;

  @Option(
      names = "--report-dir",
      paramLabel = "DIR",
      description =
          "(--github) Where report.json, comment.md and pull-request.json go (default:"
              + " $RUNNER_TEMP/tollgate-report, else ./tollgate-report).")
  String reportDir;

  private static final List<String> OWN =
      List.of(
          "--pr",
          "--comment",
          "--comment-key",
          "--on-pass",
          "--comment-author",
          "--check-name",
          "--fail-on",
          "--report-dir");

  /**
   * Checks that GitHub-only options come with {@code --github} and that {@code conflicting} local
   * options do not.
   */
  void check(ParseResult parsed, List<String> conflicting) {
    ParseResult own = parsed;
    if (!enabled) {
      for (String o : OWN) {
        if (own.hasMatchedOption(o)) {
          throw usage(o + " needs --github");
        }
      }
      return;
    }
    for (String o : conflicting) {
      if (own.hasMatchedOption(o)) {
        throw usage(
            o
                + " cannot be combined with --github: in GitHub mode the event and the pull request"
                + " give it");
      }
    }
    commentMode();
    passing();
    failOn();
    key();
    if (pullRequest != null && pullRequest < 1) {
      throw usage("--pr must be a pull request number (1 or more) but was " + pullRequest);
    }
    if (commentAuthor != null && (commentAuthor.isBlank() || commentAuthor.contains(" "))) {
      throw usage("--comment-author must be a GitHub login but was '" + commentAuthor + "'");
    }
  }

  CommentMode commentMode() {
    return CommentMode.parse(comment)
        .orElseThrow(
            () ->
                usage(
                    "--comment must be one of "
                        + CommentMode.labels()
                        + " but was '"
                        + comment
                        + "'"));
  }

  PassingComment passing() {
    return PassingComment.parse(onPass)
        .orElseThrow(
            () ->
                usage(
                    "--on-pass must be one of "
                        + PassingComment.labels()
                        + " but was '"
                        + onPass
                        + "'"));
  }

  FailOn failOn() {
    return FailOn.parse(failOn)
        .orElseThrow(
            () ->
                usage("--fail-on must be one of " + FailOn.labels() + " but was '" + failOn + "'"));
  }

  Optional<CommentKey> key() {
    if (commentKey == null || commentKey.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(CommentKey.of(commentKey));
    } catch (IllegalArgumentException e) {
      throw usage("--comment-key: " + e.getMessage());
    }
  }

  OptionalInt pullRequest() {
    return pullRequest == null ? OptionalInt.empty() : OptionalInt.of(pullRequest);
  }

  Optional<String> checkName() {
    return Optional.ofNullable(checkName).filter(n -> !n.isBlank());
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
