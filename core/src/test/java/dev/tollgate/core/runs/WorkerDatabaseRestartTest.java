package dev.tollgate.core.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.EmbeddedPostgres;
import dev.tollgate.core.postgres.Migrations;
import dev.tollgate.core.postgres.PostgresRunQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A finished step is never run again because its completion met a database restart: 3,000 runs
 * while a PostgreSQL server of its own is restarted ({@code pg_ctl restart -m fast}) three times
 * and the workers' backends are terminated six times; every run executes exactly once.
 */
class WorkerDatabaseRestartTest {
  private static final int RUNS = Integer.getInteger("tollgate.restartTest.runs", 3000);

  private static EmbeddedPostgres server;
  private static Path parent;

  @BeforeAll
  static void start() throws Exception {
    parent = Files.createTempDirectory("tollgate-restart-pg");
    Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
    server = EmbeddedPostgres.builder(parent.resolve("data")).durable(false).start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (parent != null) {
      dev.tollgate.core.util.FileTrees.deleteQuietly(parent);
    }
  }

  @Test
  void no_run_executes_twice_across_server_restarts_and_terminated_backends() throws Exception {
    Map<Long, AtomicInteger> executions = new ConcurrentHashMap<>();
    try (Database db = Database.connect(server.settings(), "restarts", 12)) {
      Migrations.apply(db.dataSource(), db.schema());
      RunQueue queue = PostgresRunQueue.open(db.dataSource(), db.schema());
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        ids.add(queue.enqueue(NewRun.builder("noop").lane("restart").build()).run().id());
      }
      RunExecutor executor =
          (run, ctx) -> {
            executions.computeIfAbsent(run.id(), id -> new AtomicInteger()).incrementAndGet();
            ctx.emit(
                new NewEvent(
                    "step_started",
                    null,
                    "step started",
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                        .objectNode()
                        .put("step", "noop")));
            Thread.sleep(3);
            return RunOutcome.success();
          };
      List<Worker> workers = new ArrayList<>();
      for (int batch : new int[] {1, 25}) {
        Worker worker =
            Worker.builder(queue, executor)
                .options(
                    WorkerOptions.builder()
                        .lanes(List.of("restart"))
                        .concurrency(4)
                        .heartbeatInterval(Duration.ofSeconds(2))
                        .staleAfter(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(200))
                        .completionBatch(batch)
                        .build())
                .build();
        workers.add(worker);
        worker.start();
      }
      try {
        int restarts = 0;
        int terminations = 0;
        while (restarts < 3 || terminations < 6) {
          Thread.sleep(400);
          if (terminations <= restarts * 2) {
            terminateClientBackends();
            terminations++;
          } else {
            server.restart();
            restarts++;
          }
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (executions.size() < RUNS || !allFinished(queue, ids)) {
          assertThat(System.nanoTime())
              .as("every run finishes within 3 minutes")
              .isLessThan(deadline);
          Thread.sleep(200);
        }
      } finally {
        workers.forEach(Worker::shutdown);
      }
      assertThat(executions.values().stream().filter(n -> n.get() > 1).count())
          .as("runs executed more than once")
          .isZero();
      assertThat(executions).hasSize(RUNS);
      for (long id : List.of(ids.get(0), ids.get(RUNS / 2), ids.get(RUNS - 1))) {
        assertThat(queue.find(id).orElseThrow().status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(queue.steps(id)).hasSize(1);
      }
    }
  }

  private static boolean allFinished(RunQueue queue, List<Long> ids) throws Exception {
    Properties props = new Properties();
    props.setProperty("user", EmbeddedPostgres.SUPERUSER);
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), props);
        Statement st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT count(*) FROM restarts.runs WHERE status IN ('queued', 'running')")) {
      rs.next();
      return rs.getLong(1) == 0;
    } catch (java.sql.SQLException e) {
      return false;
    }
  }

  private static void terminateClientBackends() throws Exception {
    Properties props = new Properties();
    props.setProperty("user", EmbeddedPostgres.SUPERUSER);
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), props);
        Statement st = c.createStatement()) {
      st.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
              + " AND backend_type = 'client backend'");
    }
  }
}
