package dev.tollgate.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.actions.github.Sleeper;
import dev.tollgate.cli.TollgateCommand;
import dev.tollgate.cli.common.Seams;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate deploy}, {@code changes} and {@code promotions} on a real git repository. */
class DeployCommandTest {
  private static Database db;
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private String sha;

  record Result(int code, String out, String err) {}

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("cli_deploy", 2);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @BeforeEach
  void repo() throws Exception {
    Path specs = Files.createDirectories(dir.resolve(".tollgate/deploy"));
    Files.writeString(
        specs.resolve("staging.yml"),
        "deploy:\n  shell: 'printf %s \"$TOLLGATE_PARAM_VERSION\" > deployed.txt'\n");
    Files.writeString(
        specs.resolve("production.yml"),
        "change:\n  required: true\n  types:\n    normal: {approvals: 1}\n"
            + "deploy:\n  shell: 'printf %s \"$TOLLGATE_PARAM_COMMIT\" > prod.txt'\n");
    // The tests share one schema: a commit of its own per test, or two tests in the same second
    // would make the same commit, and the second one's deploy would find it already deployed.
    Files.writeString(dir.resolve("test.txt"), dir.toString());
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      sha =
          git.commit()
              .setMessage("init")
              .setAuthor(new PersonIdent("t", "t@example.com"))
              .setCommitter(new PersonIdent("t", "t@example.com"))
              .setSign(false)
              .call()
              .getName();
      git.tag().setName("v1.0.0").call();
    }
  }

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    int at = List.of("changes", "promotions", "runs").contains(all.get(0)) ? 2 : 1;
    all.addAll(
        at,
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
  void a_dry_run_prints_gates_and_plan_and_a_deploy_records_the_tagged_version() throws Exception {
    Result dry = run("deploy", "staging", "--dry-run", "--actor", "alice");
    assertThat(dry.code()).as(dry.out() + dry.err()).isZero();
    assertThat(dry.out())
        .contains("PASS    deploy-lock")
        .contains("printf %s \"$TOLLGATE_PARAM_VERSION\"");
    assertThat(dir.resolve("deployed.txt")).doesNotExist();

    Result real = run("deploy", "staging", "--actor", "alice");
    assertThat(real.code()).as(real.out() + real.err()).isZero();
    assertThat(Files.readString(dir.resolve("deployed.txt"))).isEqualTo("v1.0.0");

    JsonNode releases = JSON.readTree(run("releases", "staging", "--format", "json").out());
    assertThat(releases.get(0).get("commit").asText()).isEqualTo(sha);
    assertThat(releases.get(0).get("version").asText()).isEqualTo("v1.0.0");
    assertThat(releases.get(0).get("status").asText()).isEqualTo("deployed");
    assertThat(releases.get(0).get("actor").asText()).isEqualTo("alice");
  }

  @Test
  void deploy_spec_errors_name_the_file_under_dir_as_item_errors_do() throws Exception {
    Files.writeString(dir.resolve(".tollgate/deploy/staging.yml"), "deploy:\n  shel: 'true'\n");
    Result r = run("deploy", "staging", "--dry-run");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .startsWith(
            dir.toString().replace('\\', '/')
                + "/.tollgate/deploy/staging.yml:2:3: unknown key 'shel' in deploy; did you mean"
                + " `shell`?\n");
    Result unknown = run("deploy", "stagin", "--dry-run");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err())
        .startsWith(
            dir.toString().replace('\\', '/')
                + "/.tollgate/deploy: unknown environment 'stagin': there is no"
                + " .tollgate/deploy/stagin.yml; did you mean `staging`?\n");
  }

  @Test
  void an_emergency_without_a_reason_is_bad_input() {
    Result r = run("deploy", "staging", "--emergency");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--emergency needs --reason");
  }

  @Test
  void production_needs_an_approved_change_and_the_author_cannot_approve_it() throws Exception {
    Result blocked = run("deploy", "production", "--actor", "alice");
    assertThat(blocked.code()).isEqualTo(1);
    assertThat(blocked.out()).contains("BLOCKED change-request").contains("next step:");

    JsonNode change =
        JSON.readTree(
            run("changes", "create", "production", "--actor", "alice", "--format", "json").out());
    String id = change.get("id").asText();
    assertThat(change.get("status").asText()).isEqualTo("draft");

    Result self = run("changes", "approve", id, "--actor", "alice");
    assertThat(self.code()).isEqualTo(1);
    assertThat(self.out()).contains("not counted: alice");

    Result bob = run("changes", "approve", id, "--actor", "bob");
    assertThat(bob.code()).as(bob.out()).isZero();
    assertThat(bob.out()).contains("approved");
    Result twice = run("changes", "approve", id, "--actor", "bob");
    assertThat(twice.code()).isEqualTo(1);
    assertThat(twice.out()).contains("one vote per person");

    Result deployed = run("deploy", "production", "--change", id, "--actor", "carol");
    assertThat(deployed.code()).as(deployed.out() + deployed.err()).isZero();
    assertThat(Files.readString(dir.resolve("prod.txt"))).isEqualTo(sha);
    JsonNode release =
        JSON.readTree(run("releases", "production", "--format", "json").out()).get(0);
    assertThat(release.get("approvers").get(0).asText()).isEqualTo("bob");
    assertThat(release.get("changeId").asText()).isEqualTo(id);
    assertThat(
            JSON.readTree(run("changes", "show", id, "--format", "json").out())
                .get("status")
                .asText())
        .isEqualTo("completed");
  }

  @Test
  void a_promotion_goes_pending_approved_deployed_and_illegal_steps_are_refused() throws Exception {
    Result created = run("promotions", "create", "staging");
    assertThat(created.code()).as(created.err()).isZero();
    String id = created.out().split("\\s+")[1];
    Result early = run("promotions", "deploy", id);
    assertThat(early.code()).isEqualTo(2);
    assertThat(run("promotions", "approve", id, "--actor", "dave").code()).isZero();
    Result deployed = run("promotions", "deploy", id, "--actor", "dave");
    assertThat(deployed.code()).as(deployed.out() + deployed.err()).isZero();
    JsonNode list = JSON.readTree(run("promotions", "list", "staging", "--format", "json").out());
    assertThat(list.get(0).get("status").asText()).isEqualTo("deployed");
    assertThat(list.get(0).get("releaseId").asLong()).isPositive();
    assertThat(list.get(0).get("logRunId").asLong()).isPositive();
    assertThat(run("promotions", "approve", id).code()).isEqualTo(2);
  }

  @Test
  void promotions_create_takes_an_actor_as_changes_create_does() throws Exception {
    Result created = run("promotions", "create", "staging", "--actor", "erin");

    assertThat(created.code()).as(created.err()).isZero();
    assertThat(created.out())
        .matches("promotion \\d+  pending  \\S+ → staging  proposed by erin\\R");
  }

  @Test
  void the_database_password_and_inherited_secrets_are_masked_in_deploy_output_and_log()
      throws Exception {
    String dbPassword = "db-Pa55word-cli";
    String pgPassword = "pg-Inherited-cli";
    Files.writeString(
        dir.resolve(".tollgate/deploy/secret.yml"),
        "deploy:\n  shell: 'echo \"db $APP_DB pg $PGPASSWORD\"'\n  env: {APP_DB: '"
            + dbPassword
            + "'}\n");
    java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
    env.put("PGPASSWORD", pgPassword);
    String url =
        TestDatabase.settings().jdbcUrl()
            + "?user="
            + TestDatabase.settings().user()
            + "&password="
            + dbPassword;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        TollgateCommand.execute(
            new Seams(Clock.systemUTC(), env, Sleeper.system()),
            new PrintWriter(out),
            new PrintWriter(err),
            "deploy",
            "secret",
            "--actor",
            "alice",
            "--database-url",
            url,
            "--schema",
            db.schema(),
            "--dir",
            dir.toString());
    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(out.toString()).contains("db *** pg ***");
    assertThat(out + "\n" + err).doesNotContain(dbPassword).doesNotContain(pgPassword);
    JsonNode release = JSON.readTree(run("releases", "secret", "--format", "json").out()).get(0);
    Result logs = run("runs", "logs", release.get("runId").asText());
    assertThat(logs.out()).contains("db *** pg ***");
    assertThat(logs.out()).doesNotContain(dbPassword).doesNotContain(pgPassword);
  }
}
