package dev.tollgate.cli.common;

import java.util.function.Function;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --format text|json} and {@code --verbose} options of the commands that print text or
 * JSON (the board and the database commands), mixed into their option groups with {@code @Mixin}.
 */
public final class OutputOptions {
  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "Output format: text or json (default: ${DEFAULT-VALUE}).")
  String format;

  // Also read by name in TollgateCommand's exception handler.
  @Option(
      names = {"-v", "--verbose"},
      description =
          "Print stack traces of unexpected failures (and, for a worker, how it starts steps).")
  boolean verbose;

  /** Whether {@code --verbose} was given. */
  public boolean verbose() {
    return verbose;
  }

  /**
   * Whether the output is JSON.
   *
   * @param usage makes the usage error of the command the options belong to
   * @throws ParameterException when {@code --format} is neither {@code text} nor {@code json}
   */
  public boolean json(Function<String, ParameterException> usage) {
    return switch (format) {
      case "json" -> true;
      case "text" -> false;
      default -> throw usage.apply("--format must be one of text, json but was '" + format + "'");
    };
  }
}
