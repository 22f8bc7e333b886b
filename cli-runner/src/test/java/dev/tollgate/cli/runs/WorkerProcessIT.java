package dev.tollgate.cli.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunEvent;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner jar's worker as a real process: SIGTERM releases its run and kills its step, and
 * during start-up stops the embedded PostgreSQL it started.
 */
class WorkerProcessIT {
  private static final Path JAR = Path.of("target/tollgate.jar").toAbsolutePath();

  @TempDir Path dir;

  @Test
  void sigterm_releases_the_running_run_uncharged_and_stops_its_step() throws Exception {
    Path marker = dir.resolve("step.pid");
    Files.createDirectories(dir.resolve(".tollgate/templates"));
    Files.writeString(
        dir.resolve(".tollgate/templates/nap.yml"),
        "name: nap\nsteps:\n  - name: sleep\n    shell: 'echo $$ > \"$MARKER\"; sleep 300'\n    env:\n      MARKER: "
            + marker
            + "\n");
    try (Database db = TestDatabase.freshSchema("worker_it", 2)) {
      RunQueue queue = PostgresRunQueue.open(db.dataSource(), db.schema());
      Run run = queue.enqueue(NewRun.builder("nap").build()).run();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process worker =
          new ProcessBuilder(
                  java,
                  "-jar",
                  JAR.toString(),
                  "worker",
                  "--database-url",
                  TestDatabase.settings().jdbcUrl() + "?user=" + TestDatabase.settings().user(),
                  "--schema",
                  db.schema(),
                  "--dir",
                  dir.toString(),
                  "--grace",
                  "500ms")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("worker.log").toFile())
              .start();
      try {
        for (int i = 0; i < 600 && !Files.exists(marker); i++) {
          Thread.sleep(50);
        }
        assertThat(marker).exists();
        worker.destroy(); // SIGTERM
        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
      } finally {
        worker.destroyForcibly();
      }
      Run after = queue.find(run.id()).orElseThrow();
      assertThat(after.status())
          .as(Files.readString(dir.resolve("worker.log")))
          .isEqualTo(RunStatus.QUEUED);
      assertThat(after.chargedAttempts()).isZero();
      assertThat(queue.events(run.id(), 0, 100)).extracting(RunEvent::kind).contains("released");
      long stepPid = Long.parseLong(Files.readString(marker).strip());
      assertThat(ProcessHandle.of(stepPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
  }

  @Test
  @DisabledOnOs(value = OS.WINDOWS, disabledReason = "Process.destroy is no SIGTERM there")
  void sigterm_during_start_up_stops_the_embedded_postgres_it_started() throws Exception {
    // The embedded server runs as 'nobody' under root: it must reach its data folder.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(dir.resolve(".tollgate/templates"));
    Files.writeString(
        dir.resolve(".tollgate/templates/nap.yml"),
        "name: nap\nsteps:\n  - name: sleep\n    shell: 'sleep 1'\n");
    Path data = dir.resolve(".tollgate/postgres");
    Path log = dir.resolve("worker.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(java, "-jar", JAR.toString(), "worker", "--dir", dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("TOLLGATE_DATABASE"));
    Process worker = pb.start();
    try {
      for (int i = 0; i < 1200 && !Files.exists(data); i++) {
        Thread.sleep(10);
      }
      assertThat(data).as("the worker began to start its embedded PostgreSQL").exists();
      worker.destroy(); // SIGTERM, while the server is being created and started
      assertThat(worker.waitFor(150, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
    } finally {
      worker.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(output)
        .contains(
            "tollgate worker: stopping during start-up; nothing will be claimed, and an embedded"
                + " PostgreSQL this worker started is stopped before it exits")
        .doesNotContain("on lanes");
    assertThat(data.resolve("postmaster.pid"))
        .as("a running server's pid file; the worker printed:%n%s", output)
        .doesNotExist();
  }
}
