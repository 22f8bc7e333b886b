package dev.tollgate.core.runs.step;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apiguardian.api.API;

/**
 * A one-way switch that asks a running step to stop: the worker flips it when a run is cancelled or
 * the worker itself is told to shut down, and the {@link dev.tollgate.core.runs.exec.StepRunner}
 * stops the step's processes or requests within a few hundred milliseconds. Thread-safe; once
 * cancelled it stays cancelled.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class CancellationSignal {
  private final CountDownLatch latch = new CountDownLatch(1);
  private final AtomicReference<String> reason = new AtomicReference<>();

  private CancellationSignal() {}

  /** A signal that is not cancelled yet. */
  public static CancellationSignal create() {
    return new CancellationSignal();
  }

  /**
   * Asks the step to stop. The first call's reason is kept; later calls change nothing.
   *
   * @param why what asked for it, e.g. {@code cancelled by alice} or {@code worker shutting down}
   */
  public void cancel(String why) {
    Objects.requireNonNull(why, "why");
    if (why.isBlank()) {
      throw new IllegalArgumentException("the reason for cancelling must not be blank");
    }
    if (reason.compareAndSet(null, why)) {
      latch.countDown();
    }
  }

  /** Whether {@link #cancel} was called. */
  public boolean isCancelled() {
    return reason.get() != null;
  }

  /** The reason given to the first {@link #cancel}; empty while not cancelled. */
  public Optional<String> reason() {
    return Optional.ofNullable(reason.get());
  }

  /**
   * Waits until cancelled or {@code timeout} passes, whichever is first.
   *
   * @return whether the signal is cancelled
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public boolean await(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      return isCancelled();
    }
    return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public String toString() {
    return isCancelled()
        ? "CancellationSignal[cancelled: " + reason.get() + "]"
        : "CancellationSignal[running]";
  }
}
