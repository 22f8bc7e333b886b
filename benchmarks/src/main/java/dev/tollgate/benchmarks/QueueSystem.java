package dev.tollgate.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

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

  /** What each of a floor's threads does: count its committed completions in {@code done}. */
  @FunctionalInterface
  interface ThreadBody {
    void run(int thread, long deadline, AtomicLong done) throws Exception;
  }

  /**
   * Runs {@code body} on {@code threads} threads of a pool of their own, each given its index, the
   * deadline ({@link System#nanoTime()}) and the shared count of completions, and times them as one
   * burn-down of {@code runs} runs that is partial when fewer completed.
   */
  static BurnDown onThreads(int runs, int threads, Duration cap, Marks marks, ThreadBody body)
      throws Exception {
    AtomicLong done = new AtomicLong();
    long deadline = System.nanoTime() + cap.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      marks.started();
      long start = System.nanoTime();
      List<Future<Void>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        workers.add(
            pool.submit(
                () -> {
                  body.run(thread, deadline, done);
                  return null;
                }));
      }
      for (Future<Void> f : workers) {
        f.get();
      }
      long end = System.nanoTime();
      marks.finished();
      return new BurnDown(done.get(), (end - start) / 1e9, done.get() < runs);
    } finally {
      pool.shutdown();
    }
  }
}
