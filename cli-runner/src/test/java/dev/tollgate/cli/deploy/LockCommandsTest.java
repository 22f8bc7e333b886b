package dev.tollgate.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.cli.TollgateCommand;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresDeployStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockCommandsTest {
  private static Database db;
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("cli_locks", 2);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        1,
        List.of(
            "--database-url",
            TestDatabase.settings().jdbcUrl() + "?user=" + TestDatabase.settings().user(),
            "--schema",
            db.schema(),
            "--dir",
            dir.toString()));
    int code =
        TollgateCommand.execute(
            new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void a_hold_blocks_until_unlocked_and_says_who_and_why() throws Exception {
    Result lock = run("lock", "production", "--reason", "incident 7", "--actor", "carol");
    assertThat(lock.code()).as(lock.err()).isZero();
    assertThat(lock.out())
        .contains("production: held by hold by carol (carol)")
        .contains("incident 7");

    Result again = run("lock", "production", "--reason", "me too", "--actor", "dan");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.out()).contains("already locked").contains("incident 7");

    JsonNode locks = new ObjectMapper().readTree(run("locks", "--format", "json").out());
    assertThat(locks.findValuesAsText("environment")).contains("production");

    assertThat(run("unlock", "production", "--actor", "carol", "--reason", "fixed").code())
        .isZero();
    assertThat(run("unlock", "production").code()).isEqualTo(1);
    assertThat(
            PostgresDeployStore.open(db.dataSource(), db.schema())
                .auditLog("production", 10)
                .stream()
                .filter(e -> e.kind().equals("unlock-reason")))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.actor()).isEqualTo("carol");
              assertThat(e.message()).isEqualTo("fixed");
            });
  }

  @Test
  void a_running_deploys_lock_is_only_broken_with_force() {
    PostgresDeployStore.open(db.dataSource(), db.schema())
        .acquireLock(
            "staging",
            "deploy",
            "deploy 12",
            "erin",
            "v2",
            Duration.ofSeconds(30),
            Duration.ofMinutes(2));
    Result refused = run("unlock", "staging");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.out()).contains("a running deploy holds staging").contains("--force");
    assertThat(run("unlock", "staging", "--force").code()).isZero();
  }

  @Test
  void a_bad_environment_name_is_a_usage_error() {
    Result r = run("lock", "Prod/../x", "--reason", "r");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("ENV: expected lower-case letters");
  }

  @Test
  void releases_of_an_environment_without_any_say_so() {
    Result r = run("releases", "qa");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("no releases of qa yet");
  }
}
