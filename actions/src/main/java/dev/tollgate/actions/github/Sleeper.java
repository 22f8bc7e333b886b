package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import org.apiguardian.api.API;

/** Waits between retries; replaced in tests so that no test sleeps. */
@FunctionalInterface
@API(status = INTERNAL, since = "0.1.0")
public interface Sleeper {
  /** Blocks for {@code duration}. */
  void sleep(Duration duration) throws InterruptedException;

  /** The real thing: {@link Thread#sleep(long)}. */
  static Sleeper system() {
    return d -> Thread.sleep(d.toMillis());
  }
}
