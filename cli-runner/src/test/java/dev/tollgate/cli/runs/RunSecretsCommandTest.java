package dev.tollgate.cli.runs;

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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, secrets: a {@code writeOnly} parameter never appears in clear in what the runner
 * prints, in what {@code --search} matches, or in the database, and still reaches the steps of its
 * run.
 */
class RunSecretsCommandTest {

  private static final String SECRET = "s3cr3t-T0ken-value-42";
  private static final String KEY = key(1);
  private static final String OTHER_KEY = key(2);

  private static Database db;
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private Path received;

  record Result(int code, String out, String err) {
    String all() {
      return out + err;
    }
  }

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("cli_secrets", 2);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  /** The process environment the commands see. */
  private Map<String, String> environment = System.getenv();

  @AfterEach
  void restore() {
    environment = System.getenv();
  }

  @BeforeEach
  void template() throws Exception {
    received = dir.resolve("received.txt");
    Path templates = Files.createDirectories(dir.resolve(".tollgate/templates"));
    Files.writeString(
        templates.resolve("login.yml"),
        """
        name: login
        lane: sec
        params:
          type: object
          additionalProperties: false
          required: [user]
          properties:
            user: {type: string}
            api_token: {type: string, writeOnly: true, minLength: 8}
            out: {type: string}
            fail: {type: boolean, default: false}
        max_attempts: 1
        steps:
          - name: use
            shell: |
              echo "user $TOLLGATE_PARAM_USER token is $TOLLGATE_PARAM_API_TOKEN"
              if [ -n "${TOLLGATE_PARAM_OUT:-}" ]; then printf %s "${TOLLGATE_PARAM_API_TOKEN:-}" > "$TOLLGATE_PARAM_OUT"; fi
              if [ "$TOLLGATE_PARAM_FAIL" = true ]; then echo "failing with $TOLLGATE_PARAM_API_TOKEN" >&2; exit 3; fi
        """);
    withKey(KEY);
  }

  private static String key(int fill) {
    byte[] bytes = new byte[32];
    java.util.Arrays.fill(bytes, (byte) fill);
    return Base64.getEncoder().encodeToString(bytes);
  }

  private void withKey(String key) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("TOLLGATE_SECRET_KEY");
    if (key != null) {
      env.put("TOLLGATE_SECRET_KEY", key);
    }
    environment = env;
  }

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    int sub = all.get(0).equals("runs") ? 2 : 1;
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
            new Seams(Clock.systemUTC(), environment, Sleeper.system()),
            new PrintWriter(out),
            new PrintWriter(err),
            all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  private JsonNode json(Result r) throws Exception {
    assertThat(r.code()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  private long enqueue(String lane, String... params) throws Exception {
    List<String> args = new ArrayList<>(List.of("runs", "enqueue", "login", "--lane", lane));
    for (String p : params) {
      args.add("-p");
      args.add(p);
    }
    args.addAll(List.of("--format", "json"));
    return json(run(args.toArray(String[]::new))).get("id").asLong();
  }

  private Result work(String lane) {
    return run(
        "worker",
        "--lanes",
        lane,
        "--once",
        "--heartbeat-interval",
        "200ms",
        "--stale-after",
        "1s");
  }

  private String row(String table, long runId) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT row_to_json(t)::text FROM "
                    + db.schema()
                    + "."
                    + table
                    + " t WHERE "
                    + (table.equals("runs") ? "id" : "run_id")
                    + " = ?")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          sb.append(rs.getString(1)).append('\n');
        }
      }
    }
    return sb.toString();
  }

  @Test
  void a_write_only_parameter_is_masked_in_enqueue_show_and_list_output() throws Exception {
    Result text =
        run(
            "runs",
            "enqueue",
            "login",
            "--lane",
            "m1",
            "-p",
            "user=ann",
            "-p",
            "api_token=" + SECRET);
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.all()).startsWith("enqueued run ").doesNotContain(SECRET);

    Result jsonEnqueue =
        run(
            "runs",
            "enqueue",
            "login",
            "--lane",
            "m1",
            "-p",
            "user=ann",
            "-p",
            "api_token=" + SECRET,
            "--format",
            "json");
    assertThat(jsonEnqueue.all()).doesNotContain(SECRET);
    JsonNode enqueued = json(jsonEnqueue);
    assertThat(enqueued.get("params").get("api_token").asText()).isEqualTo("***");
    assertThat(enqueued.get("params").get("user").asText()).isEqualTo("ann");
    String id = enqueued.get("id").asText();

    for (Result shown :
        List.of(
            run("runs", "show", id),
            run("runs", "show", id, "--events"),
            run("runs", "show", id, "--format", "json"),
            run("runs", "show", id, "--events", "--format", "json"),
            run("runs", "list", "--lane", "m1"),
            run("runs", "list", "--lane", "m1", "--format", "json"),
            run("runs", "claim", "--lane", "m1", "--worker-id", "hand", "--format", "json"))) {
      assertThat(shown.code()).as(shown.err()).isZero();
      assertThat(shown.all()).doesNotContain(SECRET);
    }
    assertThat(run("runs", "show", id).out()).contains("\"api_token\":\"***\"");
    assertThat(json(run("runs", "show", id, "--format", "json")).at("/params/api_token").asText())
        .isEqualTo("***");
  }

  @Test
  void runs_list_search_does_not_match_a_write_only_value() throws Exception {
    enqueue("s1", "user=needle-user", "api_token=" + SECRET);
    assertThat(
            json(
                run("runs", "list", "--lane", "s1", "--search", "needle-user", "--format", "json")))
        .hasSize(1);
    assertThat(json(run("runs", "list", "--lane", "s1", "--search", SECRET, "--format", "json")))
        .isEmpty();
    assertThat(
            json(
                run("runs", "list", "--lane", "s1", "--search", "T0ken-value", "--format", "json")))
        .isEmpty();
  }

  @Test
  void a_write_only_value_is_not_readable_in_the_database() throws Exception {
    long id = enqueue("d1", "user=ann", "api_token=" + SECRET);
    String runRow = row("runs", id);
    assertThat(runRow).contains("ann").doesNotContain(SECRET);
    assertThat(row("run_events", id)).doesNotContain(SECRET);
  }

  @Test
  void enqueue_without_a_secret_key_refuses_a_write_only_value_and_names_the_variable()
      throws Exception {
    withKey(null);
    Result r =
        run(
            "runs",
            "enqueue",
            "login",
            "--lane",
            "k1",
            "-p",
            "user=ann",
            "-p",
            "api_token=" + SECRET);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("api_token").contains("TOLLGATE_SECRET_KEY");
    assertThat(r.all()).doesNotContain(SECRET).doesNotContain("Exception");
    assertThat(json(run("runs", "list", "--lane", "k1", "--format", "json"))).isEmpty();
  }

  @Test
  void a_run_without_a_write_only_value_needs_no_key() throws Exception {
    withKey(null);
    assertThat(enqueue("k2", "user=ann")).isPositive();
  }

  @Test
  void a_malformed_secret_key_is_bad_input_that_does_not_echo_it() {
    withKey("not-a-key-hunter2");
    Result r =
        run(
            "runs",
            "enqueue",
            "login",
            "--lane",
            "k3",
            "-p",
            "user=ann",
            "-p",
            "api_token=" + SECRET);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("TOLLGATE_SECRET_KEY").contains("32 bytes");
    assertThat(r.all()).doesNotContain("hunter2").doesNotContain(SECRET);
  }

  @Test
  void a_write_only_value_that_breaks_the_schema_is_not_echoed_in_the_error() {
    Result r = run("runs", "enqueue", "login", "-p", "user=ann", "-p", "api_token=tiny7");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("params.api_token").contains("8");
    assertThat(r.all()).doesNotContain("tiny7");
  }

  @Test
  void the_worker_gets_the_secret_masks_it_and_a_retry_keeps_it() throws Exception {
    long id = enqueue("w1", "user=ann", "api_token=" + SECRET, "out=" + received, "fail=true");
    Result worker = work("w1");
    assertThat(worker.code()).as(worker.all()).isEqualTo(1);
    assertThat(worker.all()).doesNotContain(SECRET);
    assertThat(Files.readString(received)).isEqualTo(SECRET);
    Result logs = run("runs", "logs", String.valueOf(id));
    assertThat(logs.out()).contains("token is ***").doesNotContain(SECRET);

    Files.delete(received);
    JsonNode retry = json(run("runs", "retry", String.valueOf(id), "--format", "json"));
    assertThat(retry.toString()).doesNotContain(SECRET);
    long again = retry.get("id").asLong();
    assertThat(row("runs", again)).doesNotContain(SECRET);
    Result second = work("w1");
    assertThat(second.code()).as(second.all()).isEqualTo(1);
    assertThat(Files.readString(received)).isEqualTo(SECRET);
    assertThat(run("runs", "logs", String.valueOf(again)).out()).contains("failing with ***");
  }

  @Test
  void a_worker_without_the_key_fails_the_run_and_names_the_variable() throws Exception {
    long id = enqueue("w2", "user=ann", "api_token=" + SECRET, "out=" + received);
    withKey(null);
    Result worker = work("w2");
    assertThat(worker.code()).isEqualTo(1);
    assertThat(worker.all()).doesNotContain(SECRET);
    assertThat(received).doesNotExist();
    JsonNode shown = json(run("runs", "show", String.valueOf(id), "--events", "--format", "json"));
    assertThat(shown.get("status").asText()).isEqualTo("error");
    assertThat(shown.get("message").asText()).contains("TOLLGATE_SECRET_KEY");
    assertThat(shown.toString()).doesNotContain(SECRET);
  }

  @Test
  void a_worker_with_another_key_fails_the_run_saying_the_keys_differ() throws Exception {
    long id = enqueue("w3", "user=ann", "api_token=" + SECRET, "out=" + received);
    withKey(OTHER_KEY);
    Result worker = work("w3");
    assertThat(worker.code()).isEqualTo(1);
    assertThat(received).doesNotExist();
    JsonNode shown = json(run("runs", "show", String.valueOf(id), "--format", "json"));
    assertThat(shown.get("status").asText()).isEqualTo("error");
    assertThat(shown.get("message").asText())
        .contains("TOLLGATE_SECRET_KEY")
        .contains("another key");
    assertThat(worker.all() + shown).doesNotContain(SECRET).doesNotContain(KEY);
  }
}
