package dev.tollgate.cli.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.cli.TollgateCommand;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.NewEvent;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunQueue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunsCommandTest {

  private static Database db;
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("cli_runs", 2);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @BeforeEach
  void template() throws Exception {
    Path templates = Files.createDirectories(dir.resolve(".tollgate/templates"));
    Files.writeString(
        templates.resolve("echo.yml"),
        """
        name: echo
        lane: ops
        params:
          type: object
          required: [message]
          properties:
            message: {type: string}
            times: {type: integer, minimum: 1, maximum: 3, default: 1}
        max_attempts: 2
        steps:
          - name: say
            shell: 'for i in $(seq "$TOLLGATE_PARAM_TIMES"); do echo "$TOLLGATE_PARAM_MESSAGE"; done'
        """);
  }

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    int sub = all.get(0).equals("runs") || all.get(0).equals("db") ? 2 : 1;
    all.addAll(
        sub,
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

  private JsonNode json(Result r) throws Exception {
    assertThat(r.code()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  @Test
  void enqueue_prints_the_run_as_json_with_typed_params_and_template_defaults() throws Exception {
    JsonNode run =
        json(
            run("runs", "enqueue", "echo", "--param", "message=hi $(touch x)", "--format", "json"));
    assertThat(run.get("status").asText()).isEqualTo("queued");
    assertThat(run.get("lane").asText()).isEqualTo("ops");
    assertThat(run.get("template").asText()).isEqualTo("echo");
    assertThat(run.get("attempt").asInt()).isZero();
    assertThat(run.get("maxAttempts").asInt()).isEqualTo(2);
    assertThat(run.get("params").get("message").asText()).isEqualTo("hi $(touch x)");
    assertThat(run.get("params").get("times").asInt()).isEqualTo(1);
    assertThat(run.get("id").asLong()).isPositive();
  }

  @Test
  void params_that_break_the_schema_are_bad_input_naming_the_path_and_reason() {
    Result r = run("runs", "enqueue", "echo", "--param", "message=x", "--param", "times=9");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("times").contains("3");
    assertThat(r.err()).doesNotContain("Exception");
  }

  @Test
  void an_empty_params_file_is_bad_input_saying_what_was_expected() throws Exception {
    Path params = Files.writeString(dir.resolve("empty-params.yml"), "");
    Result r = run("runs", "enqueue", "echo", "--params-file", params.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .startsWith(
            params
                + ":1:1: expected a mapping of names to values but the file is empty\n"
                + "Try 'tollgate runs enqueue --help'");
  }

  @Test
  void template_errors_name_the_file_under_dir_as_item_errors_do() throws Exception {
    Files.writeString(
        dir.resolve(".tollgate/templates/broken.yml"), "name: broken\nstep: []\nsteps: []\n");
    Result r = run("runs", "enqueue", "echo", "-p", "message=x");
    assertThat(r.code()).isEqualTo(2);
    String shown = dir.toString().replace('\\', '/') + "/.tollgate/templates/broken.yml:";
    assertThat(r.err().lines().toList())
        .containsExactly(
            shown + "2:1: unknown key 'step'; did you mean `steps`?",
            shown + "3:8: steps must have at least 1 items",
            "Try 'tollgate runs enqueue --help' for more information.");
  }

  @Test
  void an_unknown_template_is_bad_input_with_a_suggestion() {
    Result r = run("runs", "enqueue", "ecko", "--param", "message=x");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("echo");
  }

  @Test
  void the_same_idempotency_key_returns_the_queued_run() throws Exception {
    JsonNode a =
        json(
            run(
                "runs",
                "enqueue",
                "echo",
                "-p",
                "message=a",
                "--idempotency-key",
                "k1",
                "--format",
                "json"));
    JsonNode b =
        json(
            run(
                "runs",
                "enqueue",
                "echo",
                "-p",
                "message=b",
                "--idempotency-key",
                "k1",
                "--format",
                "json"));
    assertThat(b.get("id").asLong()).isEqualTo(a.get("id").asLong());
    assertThat(b.get("created").asBoolean()).isFalse();
  }

  @Test
  void claim_heartbeat_and_complete_let_a_workflow_execute_a_run_itself() throws Exception {
    json(run("runs", "enqueue", "echo", "-p", "message=x", "--lane", "manual", "--format", "json"));
    JsonNode claimed =
        json(run("runs", "claim", "--lane", "manual", "--worker-id", "gha-1", "--format", "json"));
    long id = claimed.get(0).get("id").asLong();
    assertThat(claimed.get(0).get("status").asText()).isEqualTo("running");

    Result beat = run("runs", "heartbeat", String.valueOf(id), "--worker-id", "gha-1");
    assertThat(beat.code()).isZero();
    assertThat(beat.out().strip()).isEqualTo("ok");
    Result other = run("runs", "heartbeat", String.valueOf(id), "--worker-id", "someone-else");
    assertThat(other.code()).isEqualTo(1);
    assertThat(other.out().strip()).isEqualTo("lost");

    Result done =
        run("runs", "complete", String.valueOf(id), "--worker-id", "gha-1", "--status", "success");
    assertThat(done.code()).as(done.err()).isZero();
    JsonNode shown = json(run("runs", "show", String.valueOf(id), "--events", "--format", "json"));
    assertThat(shown.get("status").asText()).isEqualTo("success");
    assertThat(shown.get("events").findValuesAsText("kind"))
        .containsSubsequence("enqueued", "claimed", "completed");
  }

  @Test
  void cancel_reports_what_happened_in_each_state() throws Exception {
    long queued =
        json(run("runs", "enqueue", "echo", "-p", "message=x", "--lane", "c1", "--format", "json"))
            .get("id")
            .asLong();
    Result r = run("runs", "cancel", String.valueOf(queued), "--reason", "not needed");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("cancelled; it will not start");
    Result again = run("runs", "cancel", String.valueOf(queued));
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.out()).contains("already finished");
    Result missing = run("runs", "cancel", "999999");
    assertThat(missing.code()).isEqualTo(2);
  }

  @Test
  void retry_links_the_new_run_to_the_cancelled_one() throws Exception {
    long id =
        json(run("runs", "enqueue", "echo", "-p", "message=x", "--lane", "r1", "--format", "json"))
            .get("id")
            .asLong();
    run("runs", "cancel", String.valueOf(id));
    JsonNode retry = json(run("runs", "retry", String.valueOf(id), "--format", "json"));
    assertThat(retry.get("retryOf").asLong()).isEqualTo(id);
    assertThat(retry.get("status").asText()).isEqualTo("queued");
  }

  @Test
  void retry_repeats_the_recorded_definition_and_current_template_takes_the_file_as_it_is_now()
      throws Exception {
    long id =
        json(run("runs", "enqueue", "echo", "-p", "message=x", "--lane", "r2", "--format", "json"))
            .get("id")
            .asLong();
    run("runs", "cancel", String.valueOf(id));
    Path file = dir.resolve(".tollgate/templates/echo.yml");
    Files.writeString(file, Files.readString(file).replace("max_attempts: 2", "max_attempts: 5"));

    JsonNode recorded = json(run("runs", "retry", String.valueOf(id), "--format", "json"));
    JsonNode current =
        json(run("runs", "retry", String.valueOf(id), "--current-template", "--format", "json"));

    assertThat(recorded.get("maxAttempts").asInt()).isEqualTo(2);
    assertThat(current.get("maxAttempts").asInt()).isEqualTo(5);
    assertThat(current.get("retryOf").asLong()).isEqualTo(id);
    assertThat(current.get("lane").asText()).isEqualTo("r2");
    assertThat(current.get("params").get("message").asText()).isEqualTo("x");

    Files.writeString(
        file, Files.readString(file).replace("required: [message]", "required: [text]"));
    Result refused = run("runs", "retry", String.valueOf(id), "--current-template");
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("text");
  }

  @Test
  void list_filters_by_status_lane_and_search() throws Exception {
    json(
        run(
            "runs",
            "enqueue",
            "echo",
            "-p",
            "message=needle-123",
            "--lane",
            "l1",
            "--format",
            "json"));
    JsonNode found =
        json(
            run(
                "runs",
                "list",
                "--lane",
                "l1",
                "--search",
                "NEEDLE",
                "--status",
                "queued",
                "--format",
                "json"));
    assertThat(found).hasSize(1);
    Result bad = run("runs", "list", "--status", "done");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("expected queued, running, success, error or cancelled");
  }

  @Test
  void a_bad_database_url_is_a_usage_error_that_hides_the_password() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        TollgateCommand.execute(
            new PrintWriter(out),
            new PrintWriter(err),
            "runs",
            "list",
            "--database-url",
            "mysql://u:hunter2@host/db",
            "--dir",
            dir.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("expected jdbc:postgresql://").doesNotContain("hunter2");
  }

  @Test
  void a_verbose_worker_says_how_it_starts_shell_steps() {
    Result quiet = run("worker", "--once");
    Result verbose = run("worker", "--once", "--verbose");

    assertThat(verbose.code()).as(verbose.out() + verbose.err()).isZero();
    assertThat(verbose.out()).contains("shell steps start each in a session of its own, by ");
    assertThat(quiet.out()).doesNotContain("shell steps start");
  }

  @Test
  void worker_once_tries_a_failure_again_when_the_template_says_retry_on_error() throws Exception {
    Path marker = dir.resolve("tried-once");
    Files.writeString(
        dir.resolve(".tollgate/templates/flaky.yml"),
        "name: flaky\nlane: flaky\nmax_attempts: 2\nbackoff: 0s\nmax_backoff: 0s\n"
            + "retry_on: [error]\nsteps:\n  - name: try\n"
            + "    shell: 'if [ -e \"$M\" ]; then exit 0; fi; touch \"$M\"; exit 1'\n"
            + "    env:\n      M: '"
            + marker
            + "'\n");
    long id = json(run("runs", "enqueue", "flaky", "--format", "json")).get("id").asLong();

    Result worker = run("worker", "--lanes", "flaky", "--once", "--heartbeat-interval", "200ms");

    assertThat(worker.code()).as(worker.out() + worker.err()).isZero();
    assertThat(worker.out())
        .contains(
            "run "
                + id
                + " (flaky, attempt 1): retrying — step try failed: exit code 1; back in the queue"
                + " after a backoff (1 of 2 attempts used)")
        .contains("run " + id + " (flaky, attempt 2): success");
  }

  @Test
  void worker_once_executes_a_run_whose_parameters_reach_the_shell_unexecuted() throws Exception {
    Path marker = dir.resolve("pwned");
    String hostile = "it's \"$(touch " + marker + ")\" `touch " + marker + "`; rm -rf x\nline 2";
    long id =
        json(run(
                "runs",
                "enqueue",
                "echo",
                "-p",
                "message=" + hostile,
                "-p",
                "times=2",
                "--lane",
                "w1",
                "--format",
                "json"))
            .get("id")
            .asLong();
    Result worker =
        run(
            "worker",
            "--lanes",
            "w1",
            "--once",
            "--heartbeat-interval",
            "200ms",
            "--stale-after",
            "1s");
    assertThat(worker.code()).as(worker.out() + worker.err()).isZero();
    assertThat(worker.out()).contains("run " + id).contains("success");

    Result logs = run("runs", "logs", String.valueOf(id), "--format", "json");
    List<String> lines = new ArrayList<>();
    for (String line : logs.out().split("\n")) {
      JsonNode e = JSON.readTree(line);
      if (e.get("kind").asText().equals("output")) {
        lines.add(e.get("message").asText());
      }
    }
    assertThat(lines)
        .containsExactly(
            "it's \"$(touch " + marker + ")\" `touch " + marker + "`; rm -rf x",
            "line 2",
            "it's \"$(touch " + marker + ")\" `touch " + marker + "`; rm -rf x",
            "line 2");
    assertThat(marker).doesNotExist();
    assertThat(
            json(run("runs", "show", String.valueOf(id), "--format", "json"))
                .get("status")
                .asText())
        .isEqualTo("success");
  }

  @Test
  void show_lists_the_steps_each_attempt_started_and_flags_a_step_that_started_twice()
      throws Exception {
    RunQueue queue = PostgresRunQueue.open(db.dataSource(), db.schema());
    long id =
        queue
            .enqueue(
                NewRun.builder("echo")
                    .lane("twice")
                    .params(JSON.readTree("{\"message\": \"hi\", \"times\": 1}"))
                    .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
                    .build())
            .run()
            .id();
    // A first worker claims it, starts its step and is lost.
    Run claimed = queue.claim("lost-worker", List.of("twice"), 1).get(0);
    queue.appendEvents(
        claimed.lease(),
        List.of(
            new NewEvent(
                "step_started", null, "shell step say", JSON.readTree("{\"step\": \"say\"}"))));
    Thread.sleep(20);
    assertThat(queue.sweep(Duration.ofMillis(10), 10)).isNotEmpty();
    Thread.sleep(20);
    Result worker = run("worker", "--lanes", "twice", "--once");
    assertThat(worker.code()).as(worker.out() + worker.err()).isZero();

    JsonNode shown = json(run("runs", "show", String.valueOf(id), "--format", "json"));
    assertThat(shown.get("stepStarts").get("say").asInt()).isEqualTo(2);
    assertThat(shown.get("steps")).hasSize(2);
    assertThat(shown.get("steps").get(0).get("status").asText()).isEqualTo("running");
    assertThat(shown.get("steps").get(1).get("attempt").asInt()).isEqualTo(2);
    assertThat(shown.get("steps").get(1).get("status").asText()).isEqualTo("success");
    Result text = run("runs", "show", String.valueOf(id));
    assertThat(text.out())
        .contains("  steps:\n    attempt 1  say  running  started ")
        .contains("    attempt 2  say  success  started ")
        .contains(
            "  step say started 2 times: an earlier attempt's worker was lost after it started");
  }

  @Test
  void a_worker_that_cannot_reach_the_database_retries_before_it_gives_up() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    long start = System.nanoTime();
    int code =
        TollgateCommand.execute(
            new PrintWriter(out),
            new PrintWriter(err),
            "worker",
            "--database-url",
            "jdbc:postgresql://127.0.0.1:1/tollgate?user=nobody",
            "--dir",
            dir.toString(),
            "--database-retry",
            "3s",
            "--once");
    assertThat(code).as(err.toString()).isEqualTo(3);
    assertThat(err.toString())
        .contains("tollgate worker: could not connect to the database (")
        .contains("); retrying for up to 3s");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(2));
  }

  @Test
  void stats_show_queue_depth_per_lane() throws Exception {
    json(
        run(
            "runs",
            "enqueue",
            "echo",
            "-p",
            "message=x",
            "--lane",
            "statlane",
            "--format",
            "json"));
    JsonNode stats = json(run("runs", "stats", "--format", "json"));
    assertThat(stats.get("lanes").findValuesAsText("lane")).contains("statlane");
    Result text = run("runs", "stats");
    assertThat(text.out()).contains("Queue depth by lane").contains("statlane");
  }
}
