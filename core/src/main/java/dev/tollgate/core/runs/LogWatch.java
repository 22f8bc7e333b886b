package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A subscription to the logs of chosen runs: while a run is watched, each append to its log is
 * announced as it commits, so a reader fetches new events when there are some instead of asking on
 * a timer.
 *
 * <p>Announcements are a hint, never the data: a reader still reads the events after its cursor.
 * While {@link #live(long)} is false for a run (the watch is not registered yet, or the listening
 * connection is down and reconnecting), appends may go unannounced and the reader polls. When the
 * watch comes back it says so once, and the reader catches up. Implementations are thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public interface LogWatch extends AutoCloseable {

  /** Starts announcing appends to run {@code runId}'s log; watching a run twice is harmless. */
  void watch(long runId);

  /** Stops announcing appends to run {@code runId}'s log. */
  void unwatch(long runId);

  /**
   * Whether appends to run {@code runId}'s log are announced now: the run is watched, its watch is
   * registered, and the listening connection is up.
   */
  boolean live(long runId);

  /** Stops every watch of this subscription and releases its connection. */
  @Override
  void close();

  /**
   * A watch that never announces anything, for queues that cannot: {@link #live(long)} is always
   * false, so readers poll.
   */
  static LogWatch none() {
    return new LogWatch() {
      @Override
      public void watch(long runId) {}

      @Override
      public void unwatch(long runId) {}

      @Override
      public boolean live(long runId) {
        return false;
      }

      @Override
      public void close() {}
    };
  }
}
