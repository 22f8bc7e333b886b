package dev.tollgate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.deploy.service.DeployBackend;
import dev.tollgate.core.deploy.service.TestProject;
import dev.tollgate.core.postgres.PostgresAuditLog;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.RunQueue;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deploy endpoints over a real PostgreSQL and a Git checkout whose deploy steps are real shell
 * commands: environments, holds and unlocks, promotions deployed with "Deploy now" and followed to
 * deployed or rolled back, change requests with their approval chain, and who may do what.
 */
class DeploysApiTest {
  private static final String DEPLOYER = "tgt_deployer-token-for-tests";
  private static final String REVIEWER = "tgt_reviewer-token-for-tests";
  private static final String VIEWER = "tgt_viewer-token-for-tests";

  private static Path root;
  private static Database db;
  private static ControlPlaneServer server;
  private static Demo.Client client;
  private static RunQueue queue;

  @BeforeAll
  static void start() throws Exception {
    root = Files.createTempDirectory("tollgate-deploys-api");
    TestProject project = new TestProject(root);
    project.spec("base", "lock:\n  lease: 5m\n  stale_after: 1m\n");
    project.spec(
        "staging",
        "inherit: base.yml\n"
            + "deploy:\n  shell: 'echo shipping \"$TOLLGATE_PARAM_VERSION\"; sleep 1'\n");
    project.spec(
        "fragile",
        "backup:\n  shell: 'echo snapshot-7'\n"
            + "deploy:\n  shell: 'echo shipping; touch broken.flag'\n"
            + "smoke_post:\n  - name: health\n"
            + "    shell: 'if [ -f broken.flag ]; then echo unhealthy >&2; exit 1; fi'\n"
            + "rollback:\n  shell: 'echo rolling back; rm -f broken.flag'\n");
    project.spec("gated", "change:\n  required: true\ndeploy:\n  shell: 'true'\n");
    project.commit("init");
    project.tag("v1.0.0");
    db = TestDatabase.freshSchema("cp_deploys", 6);
    queue = PostgresRunQueue.open(db.dataSource(), db.schema());
    DeployBackend backend = DeployFixture.backend(db);
    ControlPlane plane =
        ControlPlane.builder()
            .runs(queue)
            .audit(PostgresAuditLog.open(db.dataSource(), db.schema()))
            .deploys(DeployFixture.services(root, backend))
            .authenticator(
                BearerTokens.of(
                    Map.of(
                        BearerTokens.hash(DEPLOYER),
                        new Identity("olga", EnumSet.allOf(Scope.class)),
                        BearerTokens.hash(REVIEWER),
                        new Identity("rita", EnumSet.of(Scope.READ, Scope.ACT)),
                        BearerTokens.hash(VIEWER),
                        new Identity("victor", EnumSet.of(Scope.READ)))))
            .build();
    server = ControlPlaneServer.start(plane, "127.0.0.1", 0, "");
    client = new Demo.Client(server.uri());
  }

  @AfterAll
  static void stop() {
    server.close();
    db.close();
  }

  private static final OpenApiDocument OPEN_API = OpenApiDocument.load();

  private static JsonNode get(String path) throws Exception {
    return json(client.send(client.get(path).header("Authorization", "Bearer " + VIEWER)), 200);
  }

  private static HttpResponse<String> post(String token, String path, String body) {
    return client.send(client.postJson(path, body).header("Authorization", "Bearer " + token));
  }

  private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
    return OPEN_API.answer(r, status);
  }

  /** Polls the promotion until it leaves {@code executing} and this console stops deploying it. */
  private static JsonNode followToTheEnd(String id) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      JsonNode p = get("/api/deploys/promotions/" + id);
      String status = p.get("status").asText();
      if (!p.get("deploying").asBoolean()
          && (status.equals("deployed") || status.equals("rolled_back"))) {
        return p;
      }
      assertThat(Instant.now()).as("promotion %s still %s", id, status).isBefore(deadline);
      Thread.sleep(100);
    }
  }

  private static String approvedPromotion(String env) throws Exception {
    JsonNode created =
        json(post(REVIEWER, "/api/deploys/promotions", "{\"environment\":\"" + env + "\"}"), 201);
    assertThat(created.get("status").asText()).isEqualTo("pending");
    assertThat(created.get("releaseRef").asText()).isEqualTo("v1.0.0");
    String id = created.get("id").asText();
    JsonNode approved =
        json(post(REVIEWER, "/api/deploys/promotions/" + id + "/approve", "{}"), 200);
    assertThat(approved.get("status").asText()).isEqualTo("approved");
    return id;
  }

  @Test
  void environments_list_the_deploy_targets_with_their_window_and_no_base_file() throws Exception {
    JsonNode body = get("/api/deploys/environments");
    assertThat(body.get("environments"))
        .extracting(e -> e.get("environment").asText())
        .containsExactly("fragile", "gated", "staging");
    JsonNode staging = body.get("environments").get(2);
    assertThat(staging.get("window").get("open").asBoolean()).isTrue();
    assertThat(staging.get("window").get("nextChange").isNull()).isTrue();
  }

  @Test
  void deploy_now_answers_at_once_and_the_promotion_is_followed_to_deployed_with_its_log()
      throws Exception {
    String id = approvedPromotion("staging");

    HttpResponse<String> started =
        post(DEPLOYER, "/api/deploys/promotions/" + id + "/deploy", "{}");

    JsonNode accepted = json(started, 202);
    assertThat(accepted.get("id").asText()).isEqualTo(id);
    JsonNode done = followToTheEnd(id);
    assertThat(done.get("status").asText()).isEqualTo("deployed");
    assertThat(done.get("lastAttempt").get("outcome").asText()).isEqualTo("deployed");
    long run = done.get("logRunId").asLong();
    JsonNode events = get("/api/runs/" + run + "/events");
    assertThat(events.get("events").toString()).contains("shipping v1.0.0");
    JsonNode env = get("/api/deploys/environments/staging");
    assertThat(env.get("latestRelease").get("status").asText()).isEqualTo("deployed");
    assertThat(env.get("latestRelease").get("actor").asText()).isEqualTo("olga");
    assertThat(env.get("lock").isNull()).isTrue();
  }

  @Test
  void a_failing_smoke_check_ends_the_promotion_rolled_back_and_leaves_the_environment_held()
      throws Exception {
    String id = approvedPromotion("fragile");

    json(post(DEPLOYER, "/api/deploys/promotions/" + id + "/deploy", "{}"), 202);

    JsonNode done = followToTheEnd(id);
    assertThat(done.get("status").asText()).isEqualTo("rolled_back");
    assertThat(done.get("lastAttempt").get("outcome").asText()).isEqualTo("rolled_back");
    assertThat(done.get("backupRef").asText()).isEqualTo("snapshot-7");
    JsonNode events = get("/api/runs/" + done.get("logRunId").asLong() + "/events");
    assertThat(events.get("events").toString()).contains("unhealthy").contains("rolling back");
    JsonNode env = get("/api/deploys/environments/fragile");
    assertThat(env.get("lock").get("kind").asText()).isEqualTo("hold");

    JsonNode unlocked =
        json(
            post(
                DEPLOYER,
                "/api/deploys/environments/fragile/unlock",
                "{\"reason\":\"checked the service by hand\"}"),
            200);
    assertThat(unlocked.get("result").asText()).isEqualTo("unlocked");
    JsonNode after = get("/api/deploys/environments/fragile");
    assertThat(after.get("lock").isNull()).isTrue();
    assertThat(after.get("audit"))
        .anySatisfy(
            a -> {
              assertThat(a.get("actor").asText()).isEqualTo("olga");
              assertThat(a.get("message").asText()).isEqualTo("checked the service by hand");
            });
  }

  @Test
  void a_held_environment_refuses_deploy_now_with_409_and_starts_nothing() throws Exception {
    String id = approvedPromotion("staging");
    json(
        post(
            DEPLOYER,
            "/api/deploys/environments/staging/hold",
            "{\"reason\":\"database migration <running>\"}"),
        201);
    try {
      HttpResponse<String> second =
          post(DEPLOYER, "/api/deploys/environments/staging/hold", "{\"reason\":\"again\"}");
      assertThat(json(second, 409).get("error").get("message").asText())
          .contains("already held by olga: database migration <running>");

      JsonNode refused = json(post(DEPLOYER, "/api/deploys/promotions/" + id + "/deploy", ""), 409);

      assertThat(refused.get("error").get("rule").asText()).isEqualTo("deploy-lock");
      assertThat(refused.get("started").asBoolean()).isFalse();
      assertThat(refused.get("gates"))
          .anySatisfy(g -> assertThat(g.get("recovery").get("nextStep").isTextual()).isTrue());
      JsonNode p = get("/api/deploys/promotions/" + id);
      assertThat(p.get("status").asText()).isEqualTo("approved");
      assertThat(p.get("deploying").asBoolean()).isFalse();
    } finally {
      json(post(DEPLOYER, "/api/deploys/environments/staging/unlock", "{}"), 200);
    }
  }

  @Test
  void a_gate_other_than_the_lock_refuses_deploy_now_with_422_and_its_recovery() throws Exception {
    String id = approvedPromotion("gated");

    JsonNode refused = json(post(DEPLOYER, "/api/deploys/promotions/" + id + "/deploy", "{}"), 422);

    assertThat(refused.get("error").get("rule").asText()).isEqualTo("change-request");
    assertThat(refused.get("error").get("hint").asText()).isNotBlank();
    assertThat(get("/api/deploys/promotions/" + id).get("status").asText()).isEqualTo("approved");
  }

  @Test
  void deploying_holding_and_unlocking_need_the_deploy_scope() throws Exception {
    String id = approvedPromotion("staging");

    HttpResponse<String> deploy = post(REVIEWER, "/api/deploys/promotions/" + id + "/deploy", "{}");
    HttpResponse<String> hold =
        post(REVIEWER, "/api/deploys/environments/staging/hold", "{\"reason\":\"x\"}");
    HttpResponse<String> approve = post(VIEWER, "/api/deploys/promotions/" + id + "/approve", "{}");

    assertThat(json(deploy, 403).get("error").get("message").asText())
        .isEqualTo(
            "rita lacks the scope 'deploy' that POST /api/deploys/promotions/{id}/deploy needs");
    json(hold, 403);
    json(approve, 403);
    assertThat(get("/api/deploys/environments/staging").get("lock").isNull()).isTrue();
  }

  @Test
  void a_change_request_shows_its_approval_chain_and_the_authors_vote_does_not_count()
      throws Exception {
    JsonNode created =
        json(
            post(
                REVIEWER,
                "/api/deploys/changes",
                "{\"environment\":\"gated\",\"risk\":\"low\",\"reason\":\"fix <b>typo</b>\"}"),
            201);
    String id = created.get("id").asText();
    assertThat(created.get("author").asText()).isEqualTo("rita");
    assertThat(created.get("status").asText()).isEqualTo("draft");

    JsonNode own = json(post(REVIEWER, "/api/deploys/changes/" + id + "/approve", ""), 200);
    JsonNode other = json(post(DEPLOYER, "/api/deploys/changes/" + id + "/approve", ""), 200);

    assertThat(own.get("counted").asBoolean()).isFalse();
    assertThat(other.get("counted").asBoolean()).isTrue();
    JsonNode listed = get("/api/deploys/changes?environment=gated");
    JsonNode change = listed.get("changes").get(0);
    assertThat(change.get("id").asText()).isEqualTo(id);
    assertThat(change.get("status").asText()).isEqualTo("approved");
    assertThat(change.get("counted")).extracting(JsonNode::asText).containsExactly("olga");
    assertThat(change.get("ignored").get(0).get("actor").asText()).isEqualTo("rita");
    assertThat(change.get("reason").asText()).isEqualTo("fix <b>typo</b>");

    JsonNode rejected = json(post(DEPLOYER, "/api/deploys/changes/" + id + "/reject", ""), 200);
    assertThat(rejected.get("status").asText()).isEqualTo("rejected");
  }

  @Test
  void every_state_change_done_or_refused_is_in_the_audit_log_with_who_and_why() throws Exception {
    String id = approvedPromotion("gated");
    json(post(DEPLOYER, "/api/deploys/promotions/" + id + "/deploy", "{}"), 422);
    json(post(VIEWER, "/api/deploys/environments/gated/hold", "{\"reason\":\"x\"}"), 403);

    JsonNode audit = get("/api/audit?limit=200");

    assertThat(audit.get("failures").asLong()).isZero();
    assertThat(audit.get("entries"))
        .anySatisfy(
            e -> {
              assertThat(e.get("actor").asText()).isEqualTo("rita");
              assertThat(e.get("action").asText())
                  .isEqualTo("POST /api/deploys/promotions/{id}/approve");
              assertThat(e.get("target").asText())
                  .isEqualTo("/api/deploys/promotions/" + id + "/approve");
              assertThat(e.get("result").asText()).isEqualTo("done");
            })
        .anySatisfy(
            e -> {
              assertThat(e.get("actor").asText()).isEqualTo("olga");
              assertThat(e.get("status").asInt()).isEqualTo(422);
              assertThat(e.get("result").asText()).isEqualTo("refused");
              assertThat(e.get("message").asText()).contains("cannot deploy now");
            })
        .anySatisfy(
            e -> {
              assertThat(e.get("actor").asText()).isEqualTo("victor");
              assertThat(e.get("status").asInt()).isEqualTo(403);
            });
    JsonNode victor = get("/api/audit?actor=victor");
    assertThat(victor.get("entries"))
        .allSatisfy(e -> assertThat(e.get("actor").asText()).isEqualTo("victor"));
  }

  @Test
  void bad_deploy_input_is_refused_with_what_was_expected() throws Exception {
    JsonNode unknown =
        json(post(REVIEWER, "/api/deploys/promotions", "{\"environment\":\"prod\"}"), 404);
    assertThat(unknown.get("error").get("message").asText())
        .isEqualTo("no environment 'prod'; known: fragile, gated, staging");
    JsonNode type =
        json(
            post(
                REVIEWER,
                "/api/deploys/changes",
                "{\"environment\":\"gated\",\"type\":\"urgent\"}"),
            400);
    assertThat(type.get("error").get("message").asText())
        .isEqualTo("type: expected one of [standard, normal, emergency] but found 'urgent'");
    JsonNode noReason = json(post(DEPLOYER, "/api/deploys/environments/staging/hold", "{}"), 400);
    assertThat(noReason.get("error").get("message").asText()).startsWith("reason: a hold needs");
    JsonNode ref =
        json(
            post(
                REVIEWER,
                "/api/deploys/promotions",
                "{\"environment\":\"staging\",\"ref\":\"no-such-branch\"}"),
            400);
    assertThat(ref.get("error").get("message").asText()).contains("no-such-branch");
    json(post(DEPLOYER, "/api/deploys/promotions/999999/deploy", "{}"), 404);
  }
}
