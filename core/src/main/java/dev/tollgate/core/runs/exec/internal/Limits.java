package dev.tollgate.core.runs.exec.internal;

import dev.tollgate.core.runs.step.CancellationSignal;
import dev.tollgate.core.runs.step.StepOutcome;
import java.time.Duration;

/**
 * A running step's two ways of being stopped: its time limit, measured on the monotonic clock, and
 * its cancellation signal.
 */
public final class Limits {
  /** How often waits look at the clock and the signal; bounds how late a stop is noticed. */
  public static final Duration POLL = Duration.ofMillis(100);

  private final Duration limit;
  private final CancellationSignal signal;
  private final long startNanos;

  private Limits(Duration limit, CancellationSignal signal) {
    this.limit = limit;
    this.signal = signal;
    this.startNanos = System.nanoTime();
  }

  /** Limits starting now. */
  public static Limits start(Duration limit, CancellationSignal signal) {
    return new Limits(limit, signal);
  }

  /** Why a wait ended early. */
  public enum Stop {
    /** It did not: the wait ran its course. */
    NONE,
    /** The time limit passed. */
    TIMED_OUT,
    /** The signal was cancelled. */
    CANCELLED
  }

  /** The time the step has. */
  public Duration limit() {
    return limit;
  }

  /** The time since the start. */
  public Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** The time left, zero when none. */
  public Duration remaining() {
    Duration left = limit.minus(elapsed());
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Whether the step must stop now, and why; cancellation first. */
  public Stop check() {
    if (signal.isCancelled()) {
      return Stop.CANCELLED;
    }
    if (remaining().isZero()) {
      return Stop.TIMED_OUT;
    }
    return Stop.NONE;
  }

  /**
   * Waits for {@code pause}, waking early when cancelled or out of time.
   *
   * @throws InterruptedException when the thread is interrupted
   */
  public Stop pause(Duration pause) throws InterruptedException {
    long end = System.nanoTime() + pause.toNanos();
    while (true) {
      Stop stop = check();
      if (stop != Stop.NONE) {
        return stop;
      }
      long left = end - System.nanoTime();
      if (left <= 0) {
        return Stop.NONE;
      }
      Duration wait = min(min(Duration.ofNanos(left), remaining()), POLL);
      signal.await(wait.isZero() ? Duration.ofMillis(1) : wait);
    }
  }

  /** The outcome for {@code stop}, which must not be {@link Stop#NONE}. */
  public StepOutcome outcome(Stop stop) {
    return switch (stop) {
      case TIMED_OUT -> new StepOutcome.TimedOut(limit, elapsed());
      case CANCELLED -> new StepOutcome.Cancelled(signal.reason().orElse("cancelled"), elapsed());
      case NONE -> throw new IllegalArgumentException("not stopped");
    };
  }

  static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
