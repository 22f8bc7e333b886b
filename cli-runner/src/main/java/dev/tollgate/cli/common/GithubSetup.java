package dev.tollgate.cli.common;

import dev.tollgate.actions.github.ActionsEnvironment;
import dev.tollgate.actions.github.GithubClient;
import dev.tollgate.actions.github.GithubToken;
import dev.tollgate.actions.workflow.WorkflowCommands;
import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;

/**
 * What every GitHub-mode command starts with: the step's environment, the token (masked in the log
 * before anything else is printed) and a configured {@link GithubClient}.
 */
public final class GithubSetup {
  private GithubSetup() {}

  /** The step's environment as {@code seams} have it. */
  public static ActionsEnvironment actionsEnvironment(Seams seams) {
    return ActionsEnvironment.from(seams.environment());
  }

  /**
   * The token, after printing the {@code ::add-mask::} commands that keep it out of the log.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when {@code GITHUB_TOKEN} is not set
   */
  public static GithubToken token(ActionsEnvironment env, PrintWriter out) {
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

  /**
   * The variable naming the login the token comments as, when no {@code --comment-author} is given.
   * The action sets it to {@value GithubClient#ACTIONS_BOT} when its token is the workflow's {@code
   * GITHUB_TOKEN}, which spares asking GitHub ({@code GET /user}, which that token may not call).
   */
  public static final String COMMENT_AUTHOR = "TOLLGATE_COMMENT_AUTHOR";

  /**
   * A client for the step's API URL with the token, knowing the event's payload (so that the
   * repository and pull request it names need not be read) and the comment author: {@code
   * commentAuthor}, else {@value #COMMENT_AUTHOR}, else asked from GitHub when needed; with the
   * clock, the environment and the waits of {@code seams}.
   */
  public static GithubClient client(
      ActionsEnvironment env, GithubToken token, Optional<String> commentAuthor, Seams seams) {
    GithubClient.Builder b =
        GithubClient.builder()
            .apiUrl(env.apiUrl())
            .token(token)
            .sleeper(seams.sleeper())
            .clock(seams.clock())
            .userAgent("tollgate/" + VersionProvider.version());
    commentAuthor
        .or(() -> commentAuthorFromEnvironment(seams.environment()))
        .ifPresent(b::commentAuthor);
    payload(env).ifPresent(json -> b.eventPayload(env.eventName(), json));
    return b.build();
  }

  private static Optional<String> commentAuthorFromEnvironment(Map<String, String> environment) {
    Optional<String> login =
        Optional.ofNullable(environment.get(COMMENT_AUTHOR))
            .map(String::strip)
            .filter(a -> !a.isEmpty());
    if (login.isPresent() && login.get().chars().anyMatch(Character::isWhitespace)) {
      throw TollgateException.badInput(
          COMMENT_AUTHOR + " must be a GitHub login but was '" + login.get() + "'");
    }
    return login;
  }

  /** The event payload's text; empty when it cannot be read (reading the event reports that). */
  private static Optional<String> payload(ActionsEnvironment env) {
    try {
      return Optional.of(Files.readString(env.eventPath(), StandardCharsets.UTF_8));
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }
}
