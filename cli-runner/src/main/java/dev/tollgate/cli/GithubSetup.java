package dev.tollgate.cli;

import dev.tollgate.actions.github.ActionsEnvironment;
import dev.tollgate.actions.github.GithubClient;
import dev.tollgate.actions.github.GithubToken;
import dev.tollgate.actions.github.Sleeper;
import dev.tollgate.actions.workflow.WorkflowCommands;
import dev.tollgate.core.TollgateException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every GitHub-mode command starts with: the step's environment, the token (masked in the log
 * before anything else is printed) and a configured {@link GithubClient}.
 */
final class GithubSetup {
  private GithubSetup() {}

  /** The process environment; replaced in tests. */
  static Supplier<Map<String, String>> environment = System::getenv;

  /** How the client waits between retries; replaced in tests. */
  static Sleeper sleeper = Sleeper.system();

  /** The step's environment. */
  static ActionsEnvironment actionsEnvironment() {
    return ActionsEnvironment.from(environment.get());
  }

  /**
   * The token, after printing the {@code ::add-mask::} commands that keep it out of the log.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when {@code GITHUB_TOKEN} is not set
   */
  static GithubToken token(ActionsEnvironment env, PrintWriter out) {
    GithubToken token =
        env.token()
            .orElseThrow(
                () ->
                    TollgateException.badInput(
                        "GITHUB_TOKEN is not set; GitHub mode needs a token (the action passes its"
                            + " github-token input, by default the workflow's GITHUB_TOKEN)"));
    for (String line : WorkflowCommands.mask(token.value())) {
      out.println(line);
    }
    out.flush();
    return token;
  }

  /** A client for the step's API URL with the token. */
  static GithubClient client(
      ActionsEnvironment env, GithubToken token, Optional<String> commentAuthor, Clock clock) {
    GithubClient.Builder b =
        GithubClient.builder()
            .apiUrl(env.apiUrl())
            .token(token)
            .sleeper(sleeper)
            .clock(clock)
            .userAgent("tollgate/" + VersionProvider.version());
    commentAuthor.ifPresent(b::commentAuthor);
    return b.build();
  }
}
