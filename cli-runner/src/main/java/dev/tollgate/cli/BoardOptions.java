package dev.tollgate.cli;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.config.Durations;
import dev.tollgate.policy.PolicyEngine;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every work-item board command shares ({@code tollgate items …}, {@code tollgate
 * epics}): the project root, the output format and {@code --verbose}, with the checks that turn bad
 * values into one usage message (exit 2).
 */
final class BoardOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = ".",
      description =
          "Project root holding .tollgate/policy.yml and work-items/ (default: ${DEFAULT-VALUE}).")
  String dir;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "Output format: text or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print stack traces of unexpected failures.")
  boolean verbose;

  /**
   * Whether the output is JSON.
   *
   * @throws ParameterException when {@code --format} is neither {@code text} nor {@code json}
   */
  boolean json() {
    return json(format, this::usage);
  }

  /** Parses {@code --format text|json}; shared by every command with a text or JSON output. */
  static boolean json(
      String format, java.util.function.Function<String, ParameterException> usage) {
    return switch (format) {
      case "json" -> true;
      case "text" -> false;
      default -> throw usage.apply("--format must be one of text, json but was '" + format + "'");
    };
  }

  /**
   * The project root.
   *
   * @throws ParameterException when {@code --dir} is not a path to an existing folder
   */
  Path root() {
    return root(dir, this::usage);
  }

  /** Parses {@code --dir}: an existing folder; shared by every command with a project root. */
  static Path root(String dir, java.util.function.Function<String, ParameterException> usage) {
    Path root;
    try {
      root = Path.of(dir);
    } catch (InvalidPathException e) {
      throw usage.apply("--dir '" + dir + "' is not a valid path: " + e.getReason());
    }
    if (!Files.isDirectory(root)) {
      throw usage.apply("--dir '" + dir + "' does not exist or is not a folder");
    }
    return root;
  }

  /**
   * The policy engine of the project, reading time from {@code clock}. Errors in the policy or an
   * item file are bad input located as {@code file:line:column}, with the file shown relative to
   * the working folder when {@code --dir} is not {@code .}.
   */
  PolicyEngine engine(Clock clock) {
    Path root = root();
    try {
      return PolicyEngine.load(root, clock);
    } catch (TollgateException e) {
      throw located(e);
    }
  }

  /** {@code e} with every diagnostic's file shown under {@code --dir}; see {@link ProjectPaths}. */
  TollgateException located(TollgateException e) {
    return ProjectPaths.located(dir, e);
  }

  /** How paths under the project root are shown: {@code --dir} with a trailing {@code /}. */
  String prefix() {
    return ProjectPaths.prefix(dir);
  }

  /**
   * Parses a freshness threshold given to {@code --stale-after}: days ({@code 7d}) optionally
   * followed by a duration of the run templates' syntax ({@code 1d12h}), or that syntax alone
   * ({@code 36h}, {@code 90m}).
   *
   * @throws ParameterException when it is not such a duration or is not positive
   */
  Duration staleAfter(String text) {
    Duration d;
    try {
      Matcher m = DAYS.matcher(text);
      if (m.matches()) {
        d = Duration.ofDays(Long.parseLong(m.group(1)));
        if (!m.group(2).isEmpty()) {
          d = d.plus(Durations.parse(m.group(2)));
        }
      } else {
        d = Durations.parse(text);
      }
    } catch (RuntimeException e) {
      throw usage("--stale-after must be a duration such as 7d, 36h or 90m but was '" + text + "'");
    }
    if (d.isZero()) {
      throw usage("--stale-after must be longer than zero but was '" + text + "'");
    }
    return d;
  }

  private static final Pattern DAYS = Pattern.compile("([0-9]{1,5})d(.*)");

  /** The command's standard output. */
  PrintWriter out() {
    return mixee.commandLine().getOut();
  }

  /** A usage error of the command: one message, a usage hint, exit 2. */
  ParameterException usage(String message) {
    return new ParameterException(mixee.commandLine(), message);
  }
}
