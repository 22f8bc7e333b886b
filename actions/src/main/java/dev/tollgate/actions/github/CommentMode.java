package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/** How a run treats its sticky pull-request comment. */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum CommentMode {
  /** Edit the comment in place, creating it the first time (the default). */
  UPDATE,
  /** Delete the comment and post a new one, so it moves to the end of the conversation. */
  RECREATE,
  /** Leave comments alone. */
  OFF;

  /** The name users type: {@code update}, {@code recreate}, {@code off}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a user-typed name, ignoring case. */
  public static Optional<CommentMode> parse(String text) {
    return Arrays.stream(values())
        .filter(m -> m.label().equalsIgnoreCase(text.strip()))
        .findFirst();
  }

  /** {@code update, recreate, off}, for messages. */
  public static String labels() {
    return Arrays.stream(values()).map(CommentMode::label).collect(Collectors.joining(", "));
  }
}
