package dev.tollgate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.deploy.Promotion;
import dev.tollgate.core.deploy.service.DeployBackend;
import dev.tollgate.core.deploy.service.DeployServices;
import dev.tollgate.core.deploy.service.TestProject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Operations pages over a real PostgreSQL and a Git checkout: environments with holds (reasons
 * escaped), promotions approved and deployed from forms and followed to the end, change requests
 * with their approval chain, and the deploy scope checked on the server whatever the page shows.
 */
class OperationsPagesTest {
  private static final String HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>";

  private static Database db;
  private static DeployServices services;
  private static ControlPlaneServer operator;
  private static ControlPlaneServer reviewer;

  @BeforeAll
  static void start() throws Exception {
    Path root = Files.createTempDirectory("tollgate-ops-pages");
    TestProject project = new TestProject(root);
    project.spec("staging", "deploy:\n  shell: 'echo shipping \"$TOLLGATE_PARAM_VERSION\"'\n");
    project.spec("prod", "deploy:\n  shell: 'true'\n");
    project.commit("init");
    project.tag("v2.0.0");
    db = TestDatabase.freshSchema("cp_ops_pages", 6);
    DeployBackend backend = DeployFixture.backend(db);
    services = DeployFixture.services(root, backend);
    operator =
        ControlPlaneServer.start(
            ControlPlane.builder()
                .runs(backend.queue())
                .deploys(services)
                .authenticator(Authenticator.loopback("olga"))
                .build(),
            "127.0.0.1",
            0,
            "/ops");
    reviewer =
        ControlPlaneServer.start(
            ControlPlane.builder()
                .runs(backend.queue())
                .deploys(services)
                .authenticator(
                    request ->
                        Optional.of(
                            new Identity("rita", java.util.EnumSet.of(Scope.READ, Scope.ACT))))
                .build(),
            "127.0.0.1",
            0,
            "");
  }

  @AfterAll
  static void stop() {
    operator.close();
    reviewer.close();
    db.close();
  }

  /** A signed-in browser: the session's cookie and form token, taken from the first page. */
  private record Session(Demo.Client client, String cookie, String token) {
    static Session open(ControlPlaneServer server, String page) {
      Demo.Client client = new Demo.Client(server.uri());
      HttpResponse<String> first = client.send(client.get(page));
      assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
      String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
      Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(first.body());
      assertThat(m.find()).as("a form in %s", first.body()).isTrue();
      return new Session(client, setCookie.substring(0, setCookie.indexOf(';')), m.group(1));
    }

    HttpResponse<String> get(String path) {
      return client.send(client.get(path).header("Cookie", cookie));
    }

    HttpResponse<String> post(String path, String... fields) {
      String body =
          "csrf=" + token + (fields.length == 0 ? "" : "&" + Demo.Client.formBody(fields));
      return client.send(client.sameOriginForm(path, cookie, body));
    }
  }

  @Test
  void a_hold_from_the_page_shows_its_escaped_reason_and_unlocking_records_why() {
    Session s = Session.open(operator, "/operations");
    assertThat(s.get("/operations").body())
        .contains("<a href=\"/ops/operations\" aria-current=\"page\">Operations</a>")
        .contains("Window open");

    HttpResponse<String> held = s.post("/operations/environments/prod/hold", "reason", HOSTILE);

    assertThat(held.statusCode()).as(held.body()).isEqualTo(303);
    String page = s.get("/operations/environments/prod").body();
    assertThat(page).doesNotContain(HOSTILE).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(page).contains("<span class=\"state\">held</span>");
    HttpResponse<String> unlocked =
        s.post("/operations/environments/prod/unlock", "reason", "freeze over");
    assertThat(unlocked.statusCode()).as(unlocked.body()).isEqualTo(303);
    String after = s.get("/operations/environments/prod").body();
    assertThat(after).contains("<span class=\"state\">free</span>").contains("freeze over");
  }

  @Test
  void deploy_now_from_the_page_starts_the_deploy_and_the_promotion_page_ends_deployed()
      throws Exception {
    Session s = Session.open(operator, "/operations");
    HttpResponse<String> proposed =
        s.post("/operations/promotions", "environment", "staging", "ref", "v2.0.0");
    assertThat(proposed.statusCode()).as(proposed.body()).isEqualTo(303);
    String location = proposed.headers().firstValue("Location").orElseThrow();
    String id = location.replaceAll(".*/promotions/([^?]+).*", "$1");
    assertThat(s.get(location.substring("/ops".length())).body())
        .contains("Proposed; it waits for approval.");
    assertThat(s.post("/operations/promotions/" + id + "/approve").statusCode()).isEqualTo(303);
    assertThat(s.get("/operations/promotions/" + id).body()).contains(">Deploy now</button>");

    HttpResponse<String> started = s.post("/operations/promotions/" + id + "/deploy");

    assertThat(started.statusCode()).as(started.body()).isEqualTo(303);
    assertThat(started.headers().firstValue("Location"))
        .hasValue("/ops/operations/promotions/" + id + "?done=deploy-started");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    String page;
    do {
      assertThat(Instant.now()).isBefore(deadline);
      Thread.sleep(100);
      page = s.get("/operations/promotions/" + id).body();
    } while (!page.contains("id=\"promotion-status\">deployed<"));
    assertThat(page).contains("shipping v2.0.0").contains("deployed at");
    assertThat(page).contains("data-follow=\"\"");
  }

  @Test
  void a_held_environment_answers_deploy_now_with_the_lock_and_its_recovery() {
    Promotion p = services.promotions().create("prod", Optional.empty(), "rita");
    services.promotions().approve(p.id(), "olga");
    services.locks().hold("prod", "ivan", "incident 42");
    try {
      Session s = Session.open(operator, "/operations");

      HttpResponse<String> refused = s.post("/operations/promotions/" + p.id() + "/deploy");

      assertThat(refused.statusCode()).isEqualTo(409);
      assertThat(refused.body())
          .contains("Deploy now is blocked (deploy-lock:")
          .contains("incident 42")
          .contains("<dt>Next step</dt>");
    } finally {
      services.locks().unlock("prod", "ivan");
    }
  }

  @Test
  void without_the_deploy_scope_the_page_shows_blocked_and_the_server_refuses_the_form() {
    Promotion p = services.promotions().create("prod", Optional.empty(), "rita");
    services.promotions().approve(p.id(), "olga");
    Session s = Session.open(reviewer, "/operations");

    String page = s.get("/operations/promotions/" + p.id()).body();
    HttpResponse<String> forced = s.post("/operations/promotions/" + p.id() + "/deploy");
    HttpResponse<String> hold = s.post("/operations/environments/prod/hold", "reason", "x");

    assertThat(page)
        .contains("Deploy now: Blocked, you lack the deploy scope.")
        .doesNotContain(">Deploy now</button>");
    assertThat(forced.statusCode()).isEqualTo(403);
    assertThat(forced.body()).contains("rita lacks the scope 'deploy' this needs.");
    assertThat(hold.statusCode()).isEqualTo(403);
    assertThat(services.promotions().find(p.id()).orElseThrow().promotion().status().label())
        .isEqualTo("approved");
  }

  @Test
  void a_change_request_opened_from_the_page_shows_its_escaped_reason_and_approval_chain() {
    Session s = Session.open(reviewer, "/operations");

    HttpResponse<String> opened =
        s.post(
            "/operations/changes",
            "environment",
            "staging",
            "type",
            "normal",
            "risk",
            "high",
            "reason",
            HOSTILE);
    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(303);
    String id =
        opened
            .headers()
            .firstValue("Location")
            .orElseThrow()
            .replaceAll(".*change-(\\d+)-opened", "$1");
    HttpResponse<String> own = s.post("/operations/changes/" + id + "/approve");

    assertThat(own.headers().firstValue("Location")).hasValue("/operations?done=vote-not-counted");
    String page = s.get("/operations?done=vote-not-counted").body();
    assertThat(page).doesNotContain(HOSTILE).contains("Reason: &lt;script&gt;");
    assertThat(page).contains("Not counted: rita: ").contains("does not count");
  }
}
