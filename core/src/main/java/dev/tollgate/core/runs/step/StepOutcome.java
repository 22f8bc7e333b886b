package dev.tollgate.core.runs.step;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import org.apiguardian.api.API;

/**
 * How a step ended: it succeeded, failed (with a reason and, for processes, the exit code), ran out
 * of time, or was cancelled. A step's problems are outcomes, not exceptions.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public sealed interface StepOutcome {

  /** How long the step ran. */
  Duration elapsed();

  /**
   * The outcome as events and the run log name it: {@code succeeded}, {@code failed}, {@code
   * timed_out}, {@code cancelled}.
   */
  String status();

  /** One line for people, e.g. {@code failed: exit code 3}. */
  String summary();

  /** Whether the step succeeded. */
  default boolean succeeded() {
    return this instanceof Succeeded;
  }

  /** The step did what it should: exit code 0, an expected HTTP status. */
  record Succeeded(Duration elapsed) implements StepOutcome {
    /** Checks the field. */
    public Succeeded {
      Objects.requireNonNull(elapsed, "elapsed");
    }

    @Override
    public String status() {
      return "succeeded";
    }

    @Override
    public String summary() {
      return "succeeded";
    }
  }

  /**
   * The step failed.
   *
   * @param reason what went wrong, masked, e.g. {@code exit code 3} or {@code no Docker engine
   *     reachable: ...}
   * @param exitCode the process's exit code, for shell and docker steps that ran
   */
  record Failed(String reason, OptionalInt exitCode, Duration elapsed) implements StepOutcome {
    /** Checks every field. */
    public Failed {
      Objects.requireNonNull(reason, "reason");
      if (reason.isBlank()) {
        throw new IllegalArgumentException("reason must not be blank");
      }
      Objects.requireNonNull(exitCode, "exitCode");
      Objects.requireNonNull(elapsed, "elapsed");
    }

    @Override
    public String status() {
      return "failed";
    }

    @Override
    public String summary() {
      return "failed: " + reason;
    }
  }

  /**
   * The step ran longer than it may and was stopped.
   *
   * @param limit the time it had
   */
  record TimedOut(Duration limit, Duration elapsed) implements StepOutcome {
    /** Checks every field. */
    public TimedOut {
      Objects.requireNonNull(limit, "limit");
      Objects.requireNonNull(elapsed, "elapsed");
    }

    @Override
    public String status() {
      return "timed_out";
    }

    @Override
    public String summary() {
      return "timed out after " + dev.tollgate.core.config.Durations.format(limit);
    }
  }

  /**
   * The step was stopped because its {@link CancellationSignal} was cancelled.
   *
   * @param reason the reason given to the signal
   */
  record Cancelled(String reason, Duration elapsed) implements StepOutcome {
    /** Checks every field. */
    public Cancelled {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(elapsed, "elapsed");
    }

    @Override
    public String status() {
      return "cancelled";
    }

    @Override
    public String summary() {
      return "cancelled: " + reason;
    }
  }
}
