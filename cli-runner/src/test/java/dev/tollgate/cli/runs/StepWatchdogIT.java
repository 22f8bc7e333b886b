package dev.tollgate.cli.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.RunOutcome;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.RunStatus;
import dev.tollgate.core.runs.Worker;
import dev.tollgate.core.runs.WorkerOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner jar's worker is killed with SIGKILL while its shell step runs, 100 times (ten workers
 * at a time, every other round with its whole process group): when another worker claims the run
 * again, no process of the killed worker's step is alive.
 */
class StepWatchdogIT {
  private static final Path JAR = Path.of("target/tollgate.jar").toAbsolutePath();
  private static final int KILLS = Integer.getInteger("tollgate.watchdogIT.kills", 100);
  private static final int PARALLEL = 10;

  @TempDir Path dir;

  @Test
  void no_step_process_of_a_killed_worker_is_alive_when_its_run_is_claimed_again()
      throws Exception {
    assumeTrue(onPath("setsid"), "needs setsid to give each worker a process group of its own");
    Path pids = Files.createDirectories(dir.resolve("pids"));
    Files.createDirectories(dir.resolve(".tollgate/templates"));
    // The step and its background child record their pids per attempt, then wait to be killed.
    Files.writeString(
        dir.resolve(".tollgate/templates/nap.yml"),
        "name: nap\n"
            + "steps:\n"
            + "  - name: sleep\n"
            + "    shell: |\n"
            + "      sleep 300 & child=$!\n"
            + "      echo \"$$ $child\" > \"$PIDS/$TOLLGATE_RUN_ID-$TOLLGATE_ATTEMPT.tmp\"\n"
            + "      mv \"$PIDS/$TOLLGATE_RUN_ID-$TOLLGATE_ATTEMPT.tmp\""
            + " \"$PIDS/$TOLLGATE_RUN_ID-$TOLLGATE_ATTEMPT\"\n"
            + "      sleep 301\n"
            + "    env:\n"
            + "      PIDS: "
            + pids
            + "\n");
    ConcurrentLinkedQueue<String> alive = new ConcurrentLinkedQueue<>();
    int kills = 0;
    try (Database db = TestDatabase.freshSchema("watchdog_it", 4)) {
      RunQueue queue = RunQueue.postgres(db.dataSource(), db.schema());
      for (int round = 0; kills < KILLS; round++) {
        int n = Math.min(PARALLEL, KILLS - kills);
        List<String> lanes = new ArrayList<>();
        List<Long> runs = new ArrayList<>();
        List<Process> workers = new ArrayList<>();
        try {
          for (int i = 0; i < n; i++) {
            String lane = "r" + round + "w" + i;
            lanes.add(lane);
            runs.add(queue.enqueue(NewRun.builder("nap").lane(lane).build()).run().id());
            workers.add(startWorker(db, lane));
          }
          for (long run : runs) {
            awaitFile(pids.resolve(run + "-1"), workers);
          }
          boolean wholeGroup = round % 2 == 0;
          for (Process worker : workers) {
            kill(wholeGroup ? "-" + worker.pid() : Long.toString(worker.pid()));
          }
          for (Process worker : workers) {
            assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
          }
          kills += n;
        } finally {
          workers.forEach(Process::destroyForcibly);
        }
        // Another worker sweeps the dead one's runs and claims them again; at that moment it
        // looks for the first attempt's processes.
        try (Worker rescuer =
            Worker.builder(
                    queue,
                    (run, ctx) -> {
                      for (long pid : pidsIn(pids.resolve(run.id() + "-" + (run.attempt() - 1)))) {
                        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                            && !zombie(pid)) {
                          alive.add("run " + run.id() + ": pid " + pid);
                        }
                      }
                      return RunOutcome.success();
                    })
                .options(
                    WorkerOptions.builder()
                        .lanes(lanes)
                        .concurrency(PARALLEL)
                        .heartbeatInterval(Duration.ofMillis(500))
                        .staleAfter(Duration.ofSeconds(3))
                        .pollInterval(Duration.ofMillis(200))
                        .build())
                .build()) {
          rescuer.start();
          long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
          for (long run : runs) {
            while (queue.find(run).orElseThrow().status() != RunStatus.SUCCESS) {
              assertThat(System.nanoTime()).as("run %d is claimed again", run).isLessThan(deadline);
              Thread.sleep(50);
            }
            assertThat(queue.find(run).orElseThrow().attempt()).isEqualTo(2);
          }
        }
      }
    }
    assertThat(kills).isEqualTo(KILLS);
    assertThat(alive).as("step processes alive when their run was claimed again").isEmpty();
  }

  private Process startWorker(Database db, String lane) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            "setsid",
            java,
            "-XX:TieredStopAtLevel=1",
            "-jar",
            JAR.toString(),
            "worker",
            "--database-url",
            TestDatabase.settings().jdbcUrl() + "?user=" + TestDatabase.settings().user(),
            "--schema",
            db.schema(),
            "--dir",
            dir.toString(),
            "--lanes",
            lane,
            "--no-sweep")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(lane + ".log").toFile())
        .start();
  }

  private void awaitFile(Path file, List<Process> workers) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline || workers.stream().anyMatch(p -> !p.isAlive())) {
        throw new AssertionError(
            file.getFileName() + " was not written; a worker's log: " + anyLog(workers));
      }
      Thread.sleep(50);
    }
  }

  private String anyLog(List<Process> workers) throws Exception {
    try (var logs = Files.list(dir)) {
      for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
        String text = Files.readString(log);
        if (!text.isBlank()) {
          return text;
        }
      }
    }
    return "(all empty)";
  }

  private static List<Long> pidsIn(Path file) {
    try {
      return Arrays.stream(Files.readString(file).trim().split("\\s+"))
          .map(Long::parseLong)
          .toList();
    } catch (java.io.IOException e) {
      throw new AssertionError("no pids recorded in " + file, e);
    }
  }

  /** Whether {@code pid} is a zombie: dead, only not reaped yet. */
  private static boolean zombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
    } catch (java.io.IOException | RuntimeException e) {
      return true;
    }
  }

  private static void kill(String target) throws Exception {
    Process kill =
        new ProcessBuilder("bash", "-c", "kill -s KILL -- \"$1\"", "kill", target)
            .inheritIO()
            .start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  private static boolean onPath(String program) {
    return Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d.isEmpty() ? "." : d, program)));
  }
}
