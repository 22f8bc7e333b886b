package dev.tollgate.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.deploy.store.AuditEntry;
import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.postgres.PostgresDeployStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner jar's deploy as a real process: killed mid-deploy, its lock is taken over. */
class DeployProcessIT {
  private static final Path JAR = Path.of("target/tollgate.jar").toAbsolutePath();
  @TempDir Path dir;

  private Process start(Database db, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(
        List.of(
            "--database-url",
            TestDatabase.settings().jdbcUrl() + "?user=" + TestDatabase.settings().user(),
            "--schema",
            db.schema(),
            "--dir",
            dir.toString()));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("out-" + System.nanoTime() + ".log").toFile())
        .start();
  }

  @Test
  void a_killed_deploys_lock_is_taken_over_after_stale_after_and_the_takeover_is_audited()
      throws Exception {
    Path started = dir.resolve("started");
    Files.createDirectories(dir.resolve(".tollgate/deploy"));
    Files.writeString(
        dir.resolve(".tollgate/deploy/prod.yml"),
        "lock: {lease: 1m, stale_after: 45s}\n"
            + "deploy:\n  shell: 'if [ -e started ]; then echo second; else echo $$ > step.pid;"
            + " touch started; sleep 120; fi'\n");
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".tollgate").call();
      git.commit()
          .setMessage("init")
          .setAuthor(new PersonIdent("t", "t@example.com"))
          .setCommitter(new PersonIdent("t", "t@example.com"))
          .setSign(false)
          .call();
    }
    try (Database db = TestDatabase.freshSchema("deploy_it", 2)) {
      Process first = start(db, "deploy", "prod", "--actor", "first");
      try {
        for (int i = 0; i < 600 && !Files.exists(started); i++) {
          Thread.sleep(50);
        }
        assertThat(started).exists();
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no cleanup at all
      } finally {
        first.destroyForcibly();
      }
      DeployStore store = PostgresDeployStore.open(db.dataSource(), db.schema());
      assertThat(store.lock("prod")).isPresent();

      // stale_after leaves room for a JVM that starts slowly on a loaded machine.
      Process blocked = start(db, "deploy", "prod", "--actor", "second");
      assertThat(blocked.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(blocked.exitValue()).as("the lock is still fresh").isEqualTo(1);

      // The dead deploy's step does not run on beside the next deploy: its watchdog stops it.
      long step = Long.parseLong(Files.readString(dir.resolve("step.pid")).strip());
      awaitGone(step, "the killed deploy's step");

      // Nobody renews the lock any more: by the database clock it turns stale after stale_after.
      for (int i = 0; i < 240 && !store.lock("prod").orElseThrow().stale(); i++) {
        Thread.sleep(500);
      }
      assertThat(store.lock("prod").orElseThrow().stale()).isTrue();
      Process second = start(db, "deploy", "prod", "--actor", "second");
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).isZero();
      assertThat(store.auditLog("prod", 50))
          .extracting(AuditEntry::kind)
          .contains("lock_taken_over");
      assertThat(store.releases("prod", 10).get(0).status()).isEqualTo("deployed");
      assertThat(store.releases("prod", 10).get(1).status()).isEqualTo("in_progress");
    }
  }

  @Test
  void a_killed_deploy_leaves_no_smoke_check_server_running() throws Exception {
    Files.createDirectories(dir.resolve(".tollgate/deploy"));
    Files.writeString(
        dir.resolve(".tollgate/deploy/prod.yml"),
        "smoke_pre:\n"
            + "  - name: boots\n"
            + "    start:\n"
            + "      command: 'echo $$ > server.pid; sleep 300 & echo $! > child.pid; wait'\n"
            + "      health_url: http://127.0.0.1:9/health\n"
            + "      timeout: 120s\n"
            + "    http: {url: 'http://127.0.0.1:9/status'}\n"
            + "deploy:\n  shell: 'true'\n");
    commitAll();
    try (Database db = TestDatabase.freshSchema("deploy_it", 2)) {
      Process deploy = start(db, "deploy", "prod", "--actor", "first");
      try {
        Path child = dir.resolve("child.pid");
        for (int i = 0; i < 600 && !(Files.exists(child) && Files.size(child) > 0); i++) {
          Thread.sleep(50);
        }
        assertThat(child).exists();
        deploy.destroyForcibly(); // SIGKILL to the runner alone: its children are orphaned
        assertThat(deploy.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        deploy.destroyForcibly();
      }
      awaitGone(Long.parseLong(Files.readString(dir.resolve("server.pid")).strip()), "server");
      awaitGone(Long.parseLong(Files.readString(dir.resolve("child.pid")).strip()), "its child");
    }
  }

  private void commitAll() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".tollgate").call();
      git.commit()
          .setMessage("init")
          .setAuthor(new PersonIdent("t", "t@example.com"))
          .setCommitter(new PersonIdent("t", "t@example.com"))
          .setSign(false)
          .call();
    }
  }

  private static void awaitGone(long pid, String what) throws InterruptedException {
    for (int i = 0; i < 600 && alive(pid); i++) {
      Thread.sleep(50);
    }
    assertThat(alive(pid)).as(what + " (pid " + pid + ") is stopped").isFalse();
  }

  /** Whether {@code pid} runs; a zombie (dead, not reaped yet) does not. */
  private static boolean alive(long pid) {
    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
      } catch (java.io.IOException e) {
        return false;
      }
    }
    return false;
  }

  @Test
  void sigterm_mid_deploy_stops_the_step_rolls_back_and_keeps_the_environment_held()
      throws Exception {
    Path started = dir.resolve("started");
    Files.createDirectories(dir.resolve(".tollgate/deploy"));
    Files.writeString(dir.resolve("state"), "v1");
    Files.writeString(
        dir.resolve(".tollgate/deploy/prod.yml"),
        "backup:\n  shell: 'echo snap-1'\n"
            + "deploy:\n  shell: 'printf v2 > state; touch started; sleep 120'\n"
            + "rollback:\n  shell: 'printf v1 > state'\n");
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".tollgate").call();
      git.commit()
          .setMessage("init")
          .setAuthor(new PersonIdent("t", "t@example.com"))
          .setCommitter(new PersonIdent("t", "t@example.com"))
          .setSign(false)
          .call();
    }
    try (Database db = TestDatabase.freshSchema("deploy_term", 2)) {
      Process deploy = start(db, "deploy", "prod", "--actor", "alice");
      try {
        for (int i = 0; i < 600 && !Files.exists(started); i++) {
          Thread.sleep(50);
        }
        assertThat(started).exists();
        deploy.destroy(); // SIGTERM
        assertThat(deploy.waitFor(60, TimeUnit.SECONDS)).isTrue();
      } finally {
        deploy.destroyForcibly();
      }
      DeployStore store = PostgresDeployStore.open(db.dataSource(), db.schema());
      assertThat(Files.readString(dir.resolve("state"))).isEqualTo("v1");
      assertThat(store.releases("prod", 1).get(0).status()).isEqualTo("rolled_back");
      assertThat(store.releases("prod", 1).get(0).backupRef()).isEqualTo("snap-1");
      assertThat(store.lock("prod").orElseThrow().isHold()).isTrue();
    }
  }
}
