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
   * connections, waits until every inserted run's completion is committed, and returns how long
   * that took in seconds, from start to the last commit. {@code marks} hears the start and end.
   */
  double burnDown(int runs, int threads, int poolSize, Duration timeout, Marks marks)
      throws Exception;

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
