package dev.tollgate.benchmarks;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.DatabaseSettings;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.Worker;
import dev.tollgate.core.runs.WorkerOptions;
import java.util.concurrent.CountDownLatch;

/**
 * Worker A of the dead-worker scenario, in its own JVM so that it can be killed for real: a worker
 * with the default options whose executor announces the run on stdout and then blocks forever.
 *
 * <p>The JDBC URL (with credentials) arrives in the environment variable {@value #URL_ENV}, the
 * schema as the only argument.
 */
public final class DeadWorkerChild {

  static final String URL_ENV = "TOLLGATE_BENCH_CHILD_URL";

  private DeadWorkerChild() {}

  public static void main(String[] args) throws Exception {
    Database db = Database.connect(DatabaseSettings.parse(System.getenv(URL_ENV)), args[0], 4);
    RunQueue queue = PostgresRunQueue.open(db.dataSource(), args[0]);
    CountDownLatch never = new CountDownLatch(1);
    Worker worker =
        Worker.builder(
                queue,
                (run, context) -> {
                  System.out.println("STARTED " + run.id() + " " + run.attempt());
                  System.out.flush();
                  never.await();
                  throw new IllegalStateException("unreachable");
                })
            .options(WorkerOptions.builder().workerId("A-" + ProcessHandle.current().pid()).build())
            .build();
    worker.start();
    System.out.println("READY");
    System.out.flush();
    never.await();
  }
}
