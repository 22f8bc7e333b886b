package dev.tollgate.cli.common;

import dev.tollgate.actions.github.Sleeper;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gate and comment commands take from the world beyond their arguments: the clock, the
 * process environment, and how the GitHub client waits between retries. {@link #system()} gives the
 * real ones; tests pass their own to {@link dev.tollgate.cli.TollgateCommand#execute(Seams,
 * java.io.PrintWriter, java.io.PrintWriter, String...)}, and {@link
 * dev.tollgate.cli.CommandFactory} hands them to the commands.
 *
 * @param clock the clock gates and the GitHub client read
 * @param environment the process environment, variable name to value
 * @param sleeper how the GitHub client waits between retries
 */
public record Seams(Clock clock, Map<String, String> environment, Sleeper sleeper) {

  /** Checks the parts and copies the environment. */
  public Seams {
    Objects.requireNonNull(clock, "clock");
    environment = Map.copyOf(environment);
    Objects.requireNonNull(sleeper, "sleeper");
  }

  /** The system clock in UTC, the process environment and real sleeps. */
  public static Seams system() {
    return new Seams(Clock.systemUTC(), System.getenv(), Sleeper.system());
  }

  /** The value of the environment variable {@code name}; empty when it is unset or blank. */
  public Optional<String> variable(String name) {
    return Optional.ofNullable(environment.get(name)).filter(v -> !v.isBlank());
  }
}
