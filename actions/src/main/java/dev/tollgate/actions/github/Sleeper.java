package dev.tollgate.actions.github;

import java.time.Duration;

/** Waits between retries; replaced in tests so that no test sleeps. */
@FunctionalInterface
public interface Sleeper {
  /** Blocks for {@code duration}. */
  void sleep(Duration duration) throws InterruptedException;

  /** The real thing: {@link Thread#sleep(long)}. */
  static Sleeper system() {
    return d -> Thread.sleep(d.toMillis());
  }
}
