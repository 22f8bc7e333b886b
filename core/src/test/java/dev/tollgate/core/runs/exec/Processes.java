package dev.tollgate.core.runs.exec;

import dev.tollgate.core.runs.exec.internal.ProcessSupervisor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Helpers for tests that watch real processes. */
final class Processes {
  private Processes() {}

  /** Whether process {@code pid} runs; a zombie (dead, not reaped) does not. */
  static boolean running(long pid) {
    return ProcessHandle.of(pid).map(ProcessSupervisor::isRunning).orElse(false);
  }

  /**
   * Waits until {@code condition} holds, failing after {@code patience}; for facts that become true
   * a little after an action, never to measure how long something took.
   */
  static void eventually(Duration patience, String what, BooleanSupplier condition) {
    long end = System.nanoTime() + patience.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("still not true after " + patience + ": " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what);
      }
    }
  }

  /** The pid a script wrote to {@code file}, once it has. */
  static long pidIn(Path file) {
    eventually(
        Duration.ofSeconds(20),
        file + " is written",
        () -> {
          try {
            return Files.exists(file) && !Files.readString(file).isBlank();
          } catch (IOException e) {
            return false;
          }
        });
    try {
      return Long.parseLong(Files.readString(file).strip());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
