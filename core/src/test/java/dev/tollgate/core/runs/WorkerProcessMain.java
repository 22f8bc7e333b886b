package dev.tollgate.core.runs;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.DatabaseSettings;
import dev.tollgate.core.postgres.PostgresRunQueue;
import java.time.Duration;
import java.util.List;

/**
 * A worker in its own JVM, for tests that kill it with SIGKILL. Arguments: JDBC URL, user, schema,
 * lane, mode ({@code block}: every run emits a line and then hangs; {@code started}: every run
 * records the start of a step, says so on stdout and hangs; {@code noop}: every run succeeds).
 */
public final class WorkerProcessMain {
  private WorkerProcessMain() {}

  public static void main(String[] args) throws Exception {
    DatabaseSettings settings = DatabaseSettings.of(args[0], args[1], null);
    String mode = args[4];
    Database db = Database.connect(settings, args[2], 4);
    RunQueue queue = PostgresRunQueue.open(db.dataSource(), db.schema());
    RunExecutor executor =
        (run, ctx) -> {
          if (mode.equals("started")) {
            ctx.emit(new NewEvent("step_started", null, "step one", null));
            System.out.println("step-started " + run.id());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
          }
          if (mode.equals("block")) {
            ctx.emit(NewEvent.output("stdout", "step started"));
            Thread.sleep(Long.MAX_VALUE);
          }
          return RunOutcome.success();
        };
    Worker worker =
        Worker.builder(queue, executor)
            .options(
                WorkerOptions.builder()
                    .workerId("child-" + ProcessHandle.current().pid())
                    .lanes(List.of(args[3]))
                    .concurrency(2)
                    .heartbeatInterval(Duration.ofMillis(200))
                    .staleAfter(Duration.ofSeconds(1))
                    .pollInterval(Duration.ofMillis(100))
                    .sweep(false)
                    .build())
            .build();
    worker.start();
    Thread.sleep(Long.MAX_VALUE);
  }
}
