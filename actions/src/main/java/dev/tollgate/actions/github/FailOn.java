package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/** Which findings fail the step (exit code 1); the status, check and comment report them anyway. */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum FailOn {
  /** Errors fail the step; a blocked gate is an error (the default). */
  ERROR,
  /** Warnings fail the step too. */
  WARNING,
  /** Nothing fails the step; only bad input and failures to finish do (exit 2 and 3). */
  NEVER;

  /** The name users type: {@code error}, {@code warning}, {@code never}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a user-typed name, ignoring case. */
  public static Optional<FailOn> parse(String text) {
    return Arrays.stream(values())
        .filter(m -> m.label().equalsIgnoreCase(text.strip()))
        .findFirst();
  }

  /** {@code error, warning, never}, for messages. */
  public static String labels() {
    return Arrays.stream(values()).map(FailOn::label).collect(Collectors.joining(", "));
  }
}
