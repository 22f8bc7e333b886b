package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/** What happens to the sticky comment once every gate passes. */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum PassingComment {
  /**
   * Edit an existing comment down to a short passing verdict (the default). A pull request that
   * passes on its first run gets no comment at all.
   */
  UPDATE,
  /** Delete the comment: a passing pull request has nothing to say. */
  DELETE;

  /** The name users type: {@code update} or {@code delete}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a user-typed name, ignoring case. */
  public static Optional<PassingComment> parse(String text) {
    return Arrays.stream(values())
        .filter(m -> m.label().equalsIgnoreCase(text.strip()))
        .findFirst();
  }

  /** {@code update, delete}, for messages. */
  public static String labels() {
    return Arrays.stream(values()).map(PassingComment::label).collect(Collectors.joining(", "));
  }
}
