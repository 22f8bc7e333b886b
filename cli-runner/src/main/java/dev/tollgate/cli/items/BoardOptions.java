package dev.tollgate.cli.items;

import dev.tollgate.cli.common.OutputOptions;
import dev.tollgate.cli.common.ProjectOptions;
import dev.tollgate.cli.common.Seams;
import dev.tollgate.core.runs.template.Durations;
import dev.tollgate.policy.PolicyEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options every work-item board command shares ({@code tollgate items …}, {@code tollgate
 * epics}): the project root, the output format and {@code --verbose}, with the checks that turn bad
 * values into one usage message (exit 2).
 */
public final class BoardOptions extends ProjectOptions {
  private final Seams seams;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = ".",
      description =
          "Project root holding .tollgate/policy.yml and work-items/ (default: ${DEFAULT-VALUE}).")
  String dir;

  @Mixin OutputOptions output;

  /** Options reading the clock of {@code seams}. */
  BoardOptions(Seams seams) {
    this.seams = seams;
  }

  /** The clock that stamps history entries and measures how old an item's data is. */
  public Clock clock() {
    return seams.clock();
  }

  /**
   * Whether the output is JSON.
   *
   * @throws ParameterException when {@code --format} is neither {@code text} nor {@code json}
   */
  boolean json() {
    return output.json(this::usage);
  }

  /**
   * The project root.
   *
   * @throws ParameterException when {@code --dir} is not a path to an existing folder
   */
  Path root() {
    return givenRoot();
  }

  /**
   * The policy engine of the project, reading time from {@code clock}. Errors in the policy or an
   * item file are bad input located as {@code file:line:column}, with the file shown relative to
   * the working folder when {@code --dir} is not {@code .}.
   */
  PolicyEngine engine(Clock clock) {
    return load(root(), root -> PolicyEngine.load(root, clock));
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

  @Override
  public String dir() {
    return dir;
  }
}
