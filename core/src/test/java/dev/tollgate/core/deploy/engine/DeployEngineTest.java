package dev.tollgate.core.deploy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.deploy.DeploySpec;
import dev.tollgate.core.deploy.DeploySpecLoader;
import dev.tollgate.core.deploy.store.AuditEntry;
import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.deploy.store.Release;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.postgres.PostgresDeployStore;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.RunEvent;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.step.Secrets;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy engine with real shell steps, a real local HTTP service whose health follows a state
 * file the deploy and rollback scripts write, and embedded PostgreSQL.
 */
class DeployEngineTest {

  private static Database db;
  private static DeployStore store;
  private static RunQueue queue;
  @TempDir Path root;
  private HttpServer service;
  private Path state;
  private final List<String> said = new CopyOnWriteArrayList<>();
  private static int envCounter;
  private String env;

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("deploys", 6);
    store = PostgresDeployStore.open(db.dataSource(), db.schema());
    queue = PostgresRunQueue.open(db.dataSource(), db.schema());
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @BeforeEach
  void start() throws Exception {
    env = "env" + (++envCounter);
    state = root.resolve("state");
    Files.writeString(state, "v1");
    service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    service.createContext(
        "/health",
        x -> {
          String version = Files.readString(state).strip();
          boolean ok = !version.equals("broken");
          byte[] body =
              ("{\"status\":\"" + (ok ? "ok" : "down") + "\",\"version\":\"" + version + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(ok ? 200 : 503, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    service.start();
  }

  @AfterEach
  void stop() {
    service.stop(0);
  }

  private String health() {
    return "http://127.0.0.1:" + service.getAddress().getPort() + "/health";
  }

  /** Writes a spec whose deploy writes {@code deployed} into the state file. */
  private DeploySpec spec(String deployed, String rollback, String extra) throws Exception {
    Path dir = Files.createDirectories(root.resolve(".tollgate/deploy"));
    Files.writeString(
        dir.resolve(env + ".yml"),
        "lock: {lease: 5m, stale_after: 2m}\n"
            + "backup:\n  shell: 'echo backup-of-$(cat \"$STATE\")'\n  env: {STATE: '"
            + state
            + "'}\n"
            + "smoke_pre:\n  - name: up\n    http: {url: '"
            + health()
            + "'}\n"
            + "deploy:\n  shell: 'echo deploying $TOLLGATE_PARAM_VERSION; printf %s \"$TARGET\" > \"$STATE\"'\n"
            + "  env: {STATE: '"
            + state
            + "', TARGET: '"
            + deployed
            + "'}\n"
            + "smoke_post:\n  - name: health\n    http: {url: '"
            + health()
            + "', json: {path: /status, equals: ok}, retries: 1, interval: 100ms}\n"
            + (rollback == null
                ? ""
                : "rollback:\n  shell: '" + rollback + "'\n  env: {STATE: '" + state + "'}\n")
            + "record:\n  globs: ['dist/*.jar']\n"
            + extra);
    return DeploySpecLoader.load(root, env);
  }

  private DeployEngine engine(DeploySpec spec) {
    return DeployEngine.builder(spec)
        .store(store)
        .queue(queue)
        .clock(Clock.systemUTC())
        .projectRoot(root)
        .changeGate(r -> new GateResult.Pass("change-request", "no change request required"))
        .say(said::add)
        .build();
  }

  private DeployRequest request(boolean dryRun) {
    return new DeployRequest(
        env,
        "a1b2c3d4e5f6",
        "v2",
        Optional.of("main"),
        "alice",
        Optional.empty(),
        false,
        Optional.empty(),
        dryRun,
        Duration.ZERO);
  }

  @Test
  void a_good_deploy_is_backed_up_checked_recorded_and_unlocked() throws Exception {
    Files.createDirectories(root.resolve("dist"));
    Files.writeString(root.resolve("dist/app.jar"), "jar");
    DeployResult result = engine(spec("v2", "printf v1 > \"$STATE\"", "")).deploy(request(false));

    assertThat(result.outcome()).as(result.message()).isEqualTo(DeployResult.Outcome.DEPLOYED);
    Release release = result.release().orElseThrow();
    assertThat(release.status()).isEqualTo("deployed");
    assertThat(release.backupRef()).isEqualTo("backup-of-v1");
    assertThat(release.artifacts())
        .extracting(Release.ReleaseArtifact::path)
        .containsExactly("dist/app.jar");
    assertThat(Files.readString(state)).isEqualTo("v2");
    assertThat(store.lock(env)).isEmpty();
    assertThat(queue.events(release.runId(), 0, 1000))
        .extracting(RunEvent::message)
        .contains("deploying v2");
  }

  @Test
  void a_failed_smoke_check_rolls_back_checks_again_and_keeps_the_environment_held()
      throws Exception {
    DeployResult result =
        engine(spec("broken", "printf v1 > \"$STATE\"", "")).deploy(request(false));

    assertThat(result.outcome()).as(result.message()).isEqualTo(DeployResult.Outcome.ROLLED_BACK);
    assertThat(result.release().orElseThrow().status()).isEqualTo("rolled_back");
    assertThat(Files.readString(state)).isEqualTo("v1");
    assertThat(store.lock(env).orElseThrow().isHold()).isTrue();
    assertThat(result.message()).contains("tollgate unlock " + env);
  }

  @Test
  void a_failed_rollback_is_reported_loudly_and_keeps_the_lock() throws Exception {
    DeployResult result = engine(spec("broken", "exit 7", "")).deploy(request(false));

    assertThat(result.outcome()).isEqualTo(DeployResult.Outcome.FAILED_ROLLBACK);
    assertThat(result.outcome().exitCode()).isEqualTo(3);
    assertThat(result.release().orElseThrow().status()).isEqualTo("failed_rollback");
    assertThat(result.message())
        .contains("ROLLBACK FAILED")
        .contains("backup-of-v1")
        .contains("stays LOCKED");
    assertThat(store.lock(env)).isPresent();
  }

  @Test
  void a_failed_deploy_without_a_rollback_step_names_the_backup_to_restore_from() throws Exception {
    DeployResult result = engine(spec("broken", null, "")).deploy(request(false));

    assertThat(result.outcome()).isEqualTo(DeployResult.Outcome.FAILED_ROLLBACK);
    assertThat(result.message())
        .contains("no rollback step is declared")
        .contains("restore it by hand from backup backup-of-v1, then `tollgate unlock " + env)
        .doesNotContain("null");
  }

  @Test
  void a_backup_without_a_reference_stops_the_deploy_before_it_starts() throws Exception {
    DeploySpec spec = spec("v2", "printf v1 > \"$STATE\"", "");
    Path dir = root.resolve(".tollgate/deploy/" + env + ".yml");
    Files.writeString(
        dir,
        Files.readString(dir)
            .replace("shell: 'echo backup-of-$(cat \"$STATE\")'", "shell: 'true'"));
    DeployResult result = engine(DeploySpecLoader.load(root, env)).deploy(request(false));

    assertThat(result.outcome()).isEqualTo(DeployResult.Outcome.FAILED);
    assertThat(result.message()).contains("no reference");
    assertThat(Files.readString(state)).isEqualTo("v1");
    assertThat(store.lock(env)).isEmpty();
    assertThat(spec).isNotNull();
  }

  @Test
  void a_dry_run_evaluates_every_gate_prints_the_commands_and_changes_nothing() throws Exception {
    DeployResult result = engine(spec("v2", "printf v1 > \"$STATE\"", "")).deploy(request(true));

    assertThat(result.outcome()).isEqualTo(DeployResult.Outcome.WOULD_PROCEED);
    assertThat(result.gates())
        .extracting(GateResult::gate)
        .containsExactly("deploy-lock", "deploy-window", "change-request", "deploy-backup");
    assertThat(String.join("\n", result.plan()))
        .contains("printf %s \"$TARGET\" > \"$STATE\"")
        .contains(health());
    assertThat(result.release()).isEmpty();
    assertThat(Files.readString(state)).isEqualTo("v1");
    assertThat(store.releases(env, 10)).isEmpty();
  }

  @Test
  void a_held_environment_blocks_even_an_emergency_with_who_and_why() throws Exception {
    DeploySpec spec = spec("v2", "printf v1 > \"$STATE\"", "");
    store.acquireLock(
        env,
        "hold",
        "hold by carol",
        "carol",
        "db migration",
        Duration.ofDays(1),
        Duration.ofDays(1));
    DeployRequest emergency =
        new DeployRequest(
            env,
            "a1b2c3",
            "v2",
            Optional.empty(),
            "alice",
            Optional.empty(),
            true,
            Optional.of("payments down"),
            false,
            Duration.ZERO);
    DeployResult result = engine(spec).deploy(emergency);

    assertThat(result.outcome()).isEqualTo(DeployResult.Outcome.BLOCKED);
    GateResult lock = result.gates().get(0);
    assertThat(lock).isInstanceOf(GateResult.Blocked.class);
    assertThat(((GateResult.Blocked) lock).guidance().nextStep())
        .contains("tollgate unlock " + env);
    assertThat(lock.reason()).contains("carol").contains("db migration");
    assertThat(Files.readString(state)).isEqualTo("v1");
  }

  @Test
  void a_closed_window_blocks_a_normal_deploy_and_an_emergency_with_a_reason_passes_audited()
      throws Exception {
    String closed =
        "windows:\n  timezone: UTC\n  deny:\n    - name: always\n      start: '2000-01-01T00:00'\n      end: '2100-01-01T00:00'\n";
    DeploySpec spec = spec("v2", "printf v1 > \"$STATE\"", closed);
    DeployResult normal = engine(spec).deploy(request(false));
    assertThat(normal.outcome()).isEqualTo(DeployResult.Outcome.BLOCKED);
    GateResult window = normal.gates().get(1);
    assertThat(window).isInstanceOf(GateResult.Blocked.class);
    assertThat(((GateResult.Blocked) window).guidance().nextStep()).contains("--emergency");

    DeployRequest emergency =
        new DeployRequest(
            env,
            "a1b2c3",
            "v2",
            Optional.empty(),
            "alice",
            Optional.empty(),
            true,
            Optional.of("payments down"),
            false,
            Duration.ZERO);
    DeployResult result = engine(spec).deploy(emergency);
    assertThat(result.outcome()).as(result.message()).isEqualTo(DeployResult.Outcome.DEPLOYED);
    assertThat(result.release().orElseThrow().overrideReason()).isEqualTo("payments down");
    assertThat(store.auditLog(env, 20)).extracting(AuditEntry::kind).contains("emergency");
  }

  @Test
  void cancelling_mid_deploy_stops_the_step_and_rolls_back() throws Exception {
    Path started = root.resolve("started");
    String slow =
        "deploy:\n  shell: 'printf broken > \"$STATE\"; touch \"$STARTED\"; sleep 60'\n  env: {STATE: '"
            + state
            + "', STARTED: '"
            + started
            + "'}\n";
    DeploySpec base = spec("v2", "printf v1 > \"$STATE\"", "");
    Path file = root.resolve(".tollgate/deploy/" + env + ".yml");
    String text = Files.readString(file);
    text =
        text.substring(0, text.indexOf("deploy:\n  shell"))
            + slow
            + text.substring(text.indexOf("smoke_post:"));
    Files.writeString(file, text);
    DeployEngine engine = engine(DeploySpecLoader.load(root, env));
    CompletableFuture<DeployResult> running =
        CompletableFuture.supplyAsync(() -> engine.deploy(request(false)));
    for (int i = 0; i < 400 && !Files.exists(started); i++) {
      Thread.sleep(50);
    }
    engine.cancel("SIGTERM");
    DeployResult result = running.get(60, TimeUnit.SECONDS);

    assertThat(result.outcome()).as(result.message()).isEqualTo(DeployResult.Outcome.CANCELLED);
    assertThat(result.release().orElseThrow().status()).isEqualTo("rolled_back");
    assertThat(Files.readString(state)).isEqualTo("v1");
    assertThat(base).isNotNull();
  }

  @Test
  void a_check_against_a_dead_endpoint_fails_fast_instead_of_hanging() throws Exception {
    DeploySpec spec = spec("v2", "printf v1 > \"$STATE\"", "");
    Path file = root.resolve(".tollgate/deploy/" + env + ".yml");
    Files.writeString(
        file,
        Files.readString(file)
            .replace(
                "smoke_pre:\n  - name: up\n    http: {url: '" + health() + "'}",
                "smoke_pre:\n  - name: up\n    http: {url: 'http://127.0.0.1:1/nothing'}"));
    DeployResult result = engine(DeploySpecLoader.load(root, env)).deploy(request(false));

    assertThat(result.outcome()).isEqualTo(DeployResult.Outcome.FAILED);
    assertThat(result.message()).contains("pre-deploy smoke check failed").contains("no response");
    assertThat(Files.readString(state)).isEqualTo("v1");
    assertThat(spec).isNotNull();
  }

  @Test
  void re_running_a_finished_deploy_changes_nothing() throws Exception {
    DeploySpec spec = spec("v2", "printf v1 > \"$STATE\"", "");
    DeployResult first = engine(spec).deploy(request(false));
    Files.writeString(state, "marker");
    DeployResult again = engine(spec).deploy(request(false));

    assertThat(again.outcome()).isEqualTo(DeployResult.Outcome.DEPLOYED);
    assertThat(again.message()).contains("already deployed");
    assertThat(again.release().orElseThrow().id()).isEqualTo(first.release().orElseThrow().id());
    assertThat(Files.readString(state)).isEqualTo("marker");
    assertThat(store.releases(env, 10)).hasSize(1);
  }

  private String closingWindow(String onClose) {
    java.time.LocalDateTime now = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC);
    java.time.format.DateTimeFormatter f =
        java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    return "windows:\n  timezone: UTC\n  on_close: "
        + onClose
        + "\n  allow:\n    - name: short\n      start: '"
        + f.format(now.minusMinutes(1))
        + "'\n      end: '"
        + f.format(now.plusSeconds(3))
        + "'\n";
  }

  private DeploySpec slowDeploy(String onClose) throws Exception {
    spec("v2", "printf v1 > \"$STATE\"", closingWindow(onClose));
    Path file = root.resolve(".tollgate/deploy/" + env + ".yml");
    String text = Files.readString(file);
    String slow =
        "deploy:\n  shell: 'printf v2 > \"$STATE\"; sleep 6'\n  env: {STATE: '" + state + "'}\n";
    text =
        text.substring(0, text.indexOf("deploy:\n  shell"))
            + slow
            + text.substring(text.indexOf("smoke_post:"));
    Files.writeString(file, text);
    return DeploySpecLoader.load(root, env);
  }

  @Test
  void a_window_closing_mid_deploy_aborts_and_rolls_back_under_abort_and_rollback()
      throws Exception {
    DeployResult result = engine(slowDeploy("abort_and_rollback")).deploy(request(false));
    assertThat(result.outcome()).as(result.message()).isEqualTo(DeployResult.Outcome.CANCELLED);
    assertThat(result.message()).contains("window closed");
    assertThat(Files.readString(state)).isEqualTo("v1");
  }

  @Test
  void a_window_closing_mid_deploy_lets_it_finish_under_finish() throws Exception {
    DeployResult result = engine(slowDeploy("finish")).deploy(request(false));
    assertThat(result.outcome()).as(result.message()).isEqualTo(DeployResult.Outcome.DEPLOYED);
    assertThat(Files.readString(state)).isEqualTo("v2");
  }

  @Test
  void a_pre_deploy_smoke_check_can_start_a_server_and_wait_for_its_health_url() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/";
    spec("v2", "printf v1 > \"$STATE\"", "");
    Path file = root.resolve(".tollgate/deploy/" + env + ".yml");
    String text = Files.readString(file);
    String serverCheck =
        "smoke_pre:\n  - name: artifact\n    http: {url: '"
            + url
            + "'}\n    start:\n"
            + "      command: 'sleep 1; exec python3 -m http.server "
            + port
            + " --bind 127.0.0.1'\n"
            + "      health_url: '"
            + url
            + "'\n      timeout: 30s\n";
    text =
        text.substring(0, text.indexOf("smoke_pre:"))
            + serverCheck
            + text.substring(text.indexOf("deploy:\n  shell"));
    Files.writeString(file, text);
    DeployResult result = engine(DeploySpecLoader.load(root, env)).deploy(request(false));

    assertThat(result.outcome()).as(result.message()).isEqualTo(DeployResult.Outcome.DEPLOYED);
    assertThat(String.join("\n", result.plan()))
        .contains("start `sleep 1; exec python3 -m http.server");
    // The server was stopped after its check.
    Thread.sleep(500);
    assertThat(engineProbe(url)).isFalse();
  }

  private static boolean engineProbe(String url) {
    try {
      java.net.http.HttpClient.newHttpClient()
          .send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void wait_queues_a_deploy_behind_a_running_one() throws Exception {
    DeploySpec spec = spec("v2", "printf v1 > \"$STATE\"", "");
    long token =
        ((dev.tollgate.core.deploy.store.LockAttempt.Acquired)
                store.acquireLock(
                    env,
                    "deploy",
                    "other deploy",
                    "bob",
                    "deploy v1.9",
                    Duration.ofMinutes(1),
                    Duration.ofMinutes(1)))
            .fencingToken();
    DeployRequest waiting =
        new DeployRequest(
            env,
            "a1b2c3d4e5f6",
            "v2",
            Optional.empty(),
            "alice",
            Optional.empty(),
            false,
            Optional.empty(),
            false,
            Duration.ofSeconds(30));
    CompletableFuture<DeployResult> running =
        CompletableFuture.supplyAsync(() -> engine(spec).deploy(waiting));
    Thread.sleep(1500);
    assertThat(running).isNotDone();
    store.releaseLock(env, token, "bob");
    DeployResult result = running.get(60, TimeUnit.SECONDS);
    assertThat(result.outcome()).as(result.message()).isEqualTo(DeployResult.Outcome.DEPLOYED);
    assertThat(said).anyMatch(l -> l.contains("waiting for the lock"));
  }

  @Test
  void a_failed_request_to_the_zero_downtime_url_during_the_deploy_fails_it_and_rolls_back()
      throws Exception {
    spec(
        "v2",
        "printf v1 > \"$STATE\"",
        "zero_downtime:\n  http: {url: '" + health() + "', interval: 100ms}\n");
    Path file = root.resolve(".tollgate/deploy/" + env + ".yml");
    String text = Files.readString(file);
    String flapping =
        "deploy:\n  shell: 'printf broken > \"$STATE\"; sleep 1; printf v2 > \"$STATE\"; sleep 0.5'\n  env: {STATE: '"
            + state
            + "'}\n";
    text =
        text.substring(0, text.indexOf("deploy:\n  shell"))
            + flapping
            + text.substring(text.indexOf("smoke_post:"));
    Files.writeString(file, text);
    DeployResult result = engine(DeploySpecLoader.load(root, env)).deploy(request(false));

    assertThat(result.outcome()).as(result.message()).isEqualTo(DeployResult.Outcome.ROLLED_BACK);
    assertThat(result.message()).contains("zero-downtime");
    assertThat(queue.events(result.release().orElseThrow().runId(), 0, 1000))
        .extracting(RunEvent::kind)
        .contains("zero_downtime_failure");
  }

  /** Writes a spec from {@code body} and loads it. */
  private DeploySpec specText(String body) throws Exception {
    Path dir = Files.createDirectories(root.resolve(".tollgate/deploy"));
    Files.writeString(dir.resolve(env + ".yml"), body);
    return DeploySpecLoader.load(root, env);
  }

  private static String everything(DeployResult result) {
    Release release = result.release().orElseThrow();
    StringBuilder sb = new StringBuilder(result.message()).append('\n');
    sb.append(release.message()).append('\n').append(release.backupRef()).append('\n');
    for (RunEvent e : queue.events(release.runId(), 0, 1000)) {
      sb.append(e.message()).append(' ').append(e.data()).append('\n');
    }
    return sb.toString();
  }

  @Test
  void a_step_echoing_a_variable_named_like_a_secret_is_masked_in_output_log_and_release()
      throws Exception {
    String password = "pg-Pa55word-xyz";
    DeploySpec spec =
        specText(
            "backup:\n  shell: 'echo \"snapshot-$PGPASSWORD\"'\n  env: {PGPASSWORD: '"
                + password
                + "'}\n"
                + "deploy:\n  shell: 'echo \"connecting with $PGPASSWORD\"; echo \"$PGPASSWORD\" >&2;"
                + " exit 4'\n  env: {PGPASSWORD: '"
                + password
                + "'}\n");
    DeployResult result = engine(spec).deploy(request(false));

    assertThat(result.outcome()).isEqualTo(DeployResult.Outcome.FAILED_ROLLBACK);
    assertThat(said).anyMatch(l -> l.contains("connecting with ***"));
    assertThat(String.join("\n", said)).doesNotContain(password);
    assertThat(result.release().orElseThrow().backupRef()).isEqualTo("snapshot-***");
    assertThat(everything(result)).contains("connecting with ***").doesNotContain(password);
    assertThat(store.lock(env).orElseThrow().reason()).doesNotContain(password);
  }

  @Test
  void values_the_runner_knows_and_inherited_variables_named_like_secrets_are_masked()
      throws Exception {
    String inherited = "inherited-T0ken-abc";
    String dbPassword = "db-Pa55-known";
    DeploySpec spec =
        specText("deploy:\n  shell: 'echo \"token $GH_TOKEN db $APP_DB ok\"; echo done'\n");
    DeployResult result =
        engine(spec)
            .withEnvironment(
                Map.of("PATH", System.getenv("PATH"), "GH_TOKEN", inherited, "APP_DB", dbPassword))
            .withSecrets(Secrets.of(List.of(dbPassword)))
            .deploy(request(false));

    assertThat(result.outcome()).as(result.message()).isEqualTo(DeployResult.Outcome.DEPLOYED);
    assertThat(said).anyMatch(l -> l.contains("token *** db *** ok"));
    assertThat(String.join("\n", said)).doesNotContain(inherited).doesNotContain(dbPassword);
    assertThat(everything(result))
        .contains("token *** db *** ok")
        .doesNotContain(inherited)
        .doesNotContain(dbPassword);
  }
}
