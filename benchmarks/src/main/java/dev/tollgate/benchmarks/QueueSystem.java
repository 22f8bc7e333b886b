package dev.tollgate.benchmarks;

import java.time.Duration;

/** A queue under test: it inserts no-op runs, then burns them down with a pool of workers. */
interface QueueSystem {

  /** The name printed in the figures. */
  String name();

  /** Creates the system's schema (dropping an earlier one of the same name). */
  void setUp();

  /** Empties the system's tables and inserts {@code runs} runnable no-op runs. */
  void insert(int runs);

  /**
   * Starts the system with {@code threads} executing threads over a pool of {@code poolSize}
   * connections and waits until every inserted run's completion is committed, or until {@code cap}
   * has passed. Returns how many completions were committed and how long that took, from start to
   * the last commit. {@code marks} hears the start and end.
   */
  BurnDown burnDown(int runs, int threads, int poolSize, Duration cap, Marks marks)
      throws Exception;

  /** What a burn-down achieved: all runs, or as many as completed within the cap. */
  record BurnDown(long completed, double seconds, boolean partial) {}

  /** Hears when the timed part of a burn-down starts and ends. */
  interface Marks {
    void started();

    void finished();

    Marks NONE =
        new Marks() {
          @Override
          public void started() {}

          @Override
          public void finished() {}
        };
  }
}
