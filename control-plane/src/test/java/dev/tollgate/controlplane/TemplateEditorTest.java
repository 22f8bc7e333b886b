package dev.tollgate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.audit.AuditLog;
import dev.tollgate.core.audit.AuditRecord;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresAuditLog;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.template.TemplateCatalog;
import dev.tollgate.core.runs.template.TemplateFiles;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The template editor over HTTP: a text checked as the loader checks its file (located problems,
 * the diff to commit), saved into the checkout only with the deploy scope, only when valid and only
 * over the version it was opened at; and the audit page listing who did it.
 */
class TemplateEditorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEPLOYER = "tgt_editor-deployer-token";
  private static final String OPERATOR = "tgt_editor-operator-token";
  private static final String GOOD =
      "name: rotate-key\nlane: ops\nsteps:\n  - name: rotate\n    shell: 'echo rotating'\n";
  private static final OpenApiDocument OPEN_API = OpenApiDocument.load();

  private static Path root;
  private static Path file;
  private static Database db;
  private static AuditLog audit;
  private static ControlPlaneServer server;
  private static ControlPlaneServer readOnlyCheckout;
  private static Demo.Client client;

  @BeforeAll
  static void start() throws Exception {
    root = Files.createTempDirectory("tollgate-editor");
    file = root.resolve(".tollgate/templates/rotate-key.yml");
    Files.createDirectories(file.getParent());
    db = TestDatabase.freshSchema("cp_editor", 6);
    audit = PostgresAuditLog.open(db.dataSource(), db.schema());
    Authenticator tokens =
        BearerTokens.of(
            Map.of(
                BearerTokens.hash(DEPLOYER),
                new Identity("dana", EnumSet.allOf(Scope.class)),
                BearerTokens.hash(OPERATOR),
                new Identity("olga", EnumSet.of(Scope.READ, Scope.ACT))));
    server =
        ControlPlaneServer.start(
            ControlPlane.builder()
                .runs(PostgresRunQueue.open(db.dataSource(), db.schema()))
                .templates(() -> TemplateCatalog.forProject(root), Optional::empty)
                .templateFiles(TemplateFiles.forProject(root))
                .audit(audit)
                .authenticator(Authenticator.firstOf(tokens, Authenticator.loopback("lena")))
                .build(),
            "127.0.0.1",
            0,
            "");
    readOnlyCheckout =
        ControlPlaneServer.start(
            ControlPlane.builder()
                .templates(() -> TemplateCatalog.forProject(root), Optional::empty)
                .authenticator(Authenticator.loopback("lena"))
                .build(),
            "127.0.0.1",
            0,
            "");
    client = new Demo.Client(server.uri());
  }

  @AfterAll
  static void stop() {
    server.close();
    readOnlyCheckout.close();
    db.close();
  }

  @BeforeEach
  void reset() throws Exception {
    Files.writeString(file, GOOD);
    Files.deleteIfExists(file.resolveSibling("nightly-report.yml"));
  }

  private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
    return OPEN_API.answer(r, status);
  }

  private static HttpResponse<String> call(
      String method, String token, String path, JsonNode body) {
    return client.send(
        client
            .get(path)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  private static ObjectNode body(String... pairs) {
    ObjectNode o = JSON.createObjectNode();
    for (int i = 0; i < pairs.length; i += 2) {
      o.put(pairs[i], pairs[i + 1]);
    }
    return o;
  }

  private static String version() {
    return TemplateFiles.forProject(root).read("rotate-key").orElseThrow().version();
  }

  @Test
  void a_check_answers_the_loaders_located_problems_and_the_diff_and_changes_nothing()
      throws Exception {
    long audited = audit.page(0, 1000, null).size();
    String broken = GOOD.replace("lane: ops", "lane: ops\nmax_attempts: many");

    JsonNode draft =
        json(
            call(
                "POST",
                OPERATOR,
                "/api/templates/check",
                body("name", "rotate-key", "yaml", broken)),
            200);

    assertThat(draft.get("valid").asBoolean()).isFalse();
    assertThat(draft.get("file").asText()).isEqualTo(".tollgate/templates/rotate-key.yml");
    JsonNode problem = draft.get("problems").get(0);
    assertThat(problem.get("file").asText()).isEqualTo(".tollgate/templates/rotate-key.yml");
    assertThat(problem.get("line").asInt()).isEqualTo(3);
    assertThat(problem.get("column").asInt()).isPositive();
    assertThat(problem.get("message").asText()).contains("max_attempts");
    assertThat(draft.get("diff").asText()).contains("+max_attempts: many");

    JsonNode fine =
        json(
            call(
                "POST",
                OPERATOR,
                "/api/templates/check",
                body("name", "rotate-key", "yaml", GOOD.replace("ops", "nightly"))),
            200);
    assertThat(fine.get("valid").asBoolean()).isTrue();
    assertThat(fine.get("template").get("lane").asText()).isEqualTo("nightly");

    assertThat(Files.readString(file)).isEqualTo(GOOD);
    assertThat(audit.page(0, 1000, null)).hasSize((int) audited);
  }

  @Test
  void a_save_needs_the_deploy_scope_a_valid_text_and_the_version_it_was_opened_at()
      throws Exception {
    String edited = GOOD.replace("lane: ops", "lane: nightly");
    ObjectNode save = body("yaml", edited, "version", version());

    json(call("PUT", OPERATOR, "/api/templates/rotate-key", save), 403);
    JsonNode invalid =
        json(
            call(
                "PUT",
                DEPLOYER,
                "/api/templates/rotate-key",
                body("yaml", edited + "bogus: 1\n", "version", version())),
            400);
    assertThat(invalid.get("problems").get(0).get("line").asInt()).isEqualTo(6);
    assertThat(Files.readString(file)).isEqualTo(GOOD);

    JsonNode saved = json(call("PUT", DEPLOYER, "/api/templates/rotate-key", save), 200);
    assertThat(saved.get("version").asText()).isEqualTo(version());
    assertThat(Files.readString(file)).isEqualTo(edited);
    JsonNode served =
        json(
            client.send(
                client
                    .get("/api/templates/rotate-key")
                    .header("Authorization", "Bearer " + DEPLOYER)),
            200);
    assertThat(served.get("lane").asText()).isEqualTo("nightly");

    // The same save again is over a version that is gone: the file is not overwritten.
    JsonNode stale =
        json(
            call(
                "PUT",
                DEPLOYER,
                "/api/templates/rotate-key",
                body("yaml", GOOD, "version", save.get("version").asText())),
            409);
    assertThat(stale.get("currentVersion").asText()).isEqualTo(version());
    assertThat(Files.readString(file)).isEqualTo(edited);

    ObjectNode created = JSON.createObjectNode();
    created.put("yaml", GOOD.replace("rotate-key", "nightly-report"));
    created.putNull("version");
    json(call("PUT", DEPLOYER, "/api/templates/nightly-report", created), 201);
    json(call("PUT", DEPLOYER, "/api/templates/nightly-report", created), 409);
    assertThat(TemplateCatalog.forProject(root).names()).contains("nightly-report");
    assertThat(
            json(call("PUT", DEPLOYER, "/api/templates/Not_A_Name", created), 400)
                .get("error")
                .get("message")
                .asText())
        .contains("lower-case letters, digits and dashes");
  }

  @Test
  void the_editor_page_shows_problems_and_diff_keeps_hostile_text_escaped_and_saves()
      throws Exception {
    HttpResponse<String> page = client.send(client.get("/templates/rotate-key/edit"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("name=\"version\" value=\"" + version() + "\"")
        .contains("Save to .tollgate/templates/rotate-key.yml")
        .contains("No change from .tollgate/templates/rotate-key.yml");
    String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
    assertThat(m.find()).isTrue();
    String csrf = m.group(1);

    String hostile = GOOD + "description: </textarea><script>alert(1)</script>\nbogus: 1\n";
    int audited = audit.page(0, 1000, null).size();
    HttpResponse<String> checked =
        form(cookie, "/templates/rotate-key/edit", csrf, hostile, version(), "check");
    assertThat(checked.statusCode()).isEqualTo(200);
    assertThat(audit.page(0, 1000, null)).as("a check changes nothing").hasSize(audited);
    assertThat(checked.body())
        .doesNotContain("<script>alert(1)")
        .contains("&lt;/textarea&gt;&lt;script&gt;")
        .contains(".tollgate/templates/rotate-key.yml:7:1")
        .contains("<span class=\"add\">+bogus: 1</span>");

    HttpResponse<String> refused =
        form(cookie, "/templates/rotate-key/edit", csrf, hostile, version(), "save");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("Not saved").contains("&lt;/textarea&gt;");
    assertThat(Files.readString(file)).isEqualTo(GOOD);

    String edited = GOOD.replace("lane: ops", "lane: nightly");
    HttpResponse<String> stale =
        form(cookie, "/templates/rotate-key/edit", csrf, edited, "0", "save");
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(stale.body())
        .contains("changed since it was opened")
        .contains("name=\"version\" value=\"" + version() + "\"")
        .contains("lane: nightly");
    assertThat(Files.readString(file)).isEqualTo(GOOD);

    HttpResponse<String> saved =
        form(cookie, "/templates/rotate-key/edit", csrf, edited, version(), "save");
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
    assertThat(saved.headers().firstValue("Location").orElseThrow())
        .endsWith("/templates/rotate-key/edit?done=saved");
    assertThat(Files.readString(file)).isEqualTo(edited);
    assertThat(audit.page(0, 1000, null))
        .extracting(AuditRecord::action, AuditRecord::status)
        .startsWith(
            org.assertj.core.groups.Tuple.tuple("console: save template", 303),
            org.assertj.core.groups.Tuple.tuple("console: save template", 409),
            org.assertj.core.groups.Tuple.tuple("console: save template", 400));
  }

  @Test
  void a_new_template_starts_from_a_valid_skeleton_and_a_bad_name_is_refused() throws Exception {
    HttpResponse<String> redirect = client.send(client.get("/templates?new=nightly-report"));
    assertThat(redirect.statusCode()).isEqualTo(303);
    HttpResponse<String> page = client.send(client.get("/templates/nightly-report/edit"));
    assertThat(page.body())
        .contains("New template nightly-report")
        .contains("No problems.")
        .contains("--- /dev/null");
    assertThat(client.send(client.get("/templates?new=..%2Fetc")).statusCode()).isEqualTo(400);
  }

  @Test
  void without_a_writable_checkout_the_editor_checks_but_blocks_save_and_the_api_refuses()
      throws Exception {
    Demo.Client other = new Demo.Client(readOnlyCheckout.uri());
    HttpResponse<String> page = other.send(other.get("/templates/rotate-key/edit"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .doesNotContain("Save to ")
        .contains("Save: blocked")
        .contains("serves no checkout it may write");
    HttpResponse<String> session = other.send(other.get("/api/session"));
    String cookie = session.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    String token = JSON.readTree(session.body()).get("csrfToken").asText();
    HttpResponse<String> put =
        other.send(
            other
                .get("/api/templates/rotate-key")
                .header("Cookie", cookie)
                .header("Sec-Fetch-Site", "same-origin")
                .header(Csrf.HEADER, token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body("yaml", GOOD).toString())));
    assertThat(json(put, 409).get("error").get("rule").asText())
        .isEqualTo("templates.not-writable");
    assertThat(Files.readString(file)).isEqualTo(GOOD);
  }

  @Test
  void the_audit_page_lists_saves_and_refusals_newest_first_and_filters_by_who() throws Exception {
    audit.record(
        AuditRecord.of(
            "mallory", "PUT /api/templates/{name}", "/api/templates/x", 403, "<b>no</b>"));
    audit.record(
        AuditRecord.of("dana", "PUT /api/templates/{name}", "/api/templates/x", 200, null));

    HttpResponse<String> all = client.send(client.get("/audit"));
    assertThat(all.statusCode()).isEqualTo(200);
    String html = all.body();
    assertThat(html)
        .contains("Audit log")
        .contains("&lt;b&gt;no&lt;/b&gt;")
        .doesNotContain("<b>no</b>");
    assertThat(html.indexOf(">dana<")).isLessThan(html.indexOf(">mallory<"));

    String mine = client.send(client.get("/audit?actor=mallory")).body();
    assertThat(mine).contains(">mallory<").doesNotContain(">dana<");
    assertThat(client.send(client.get("/audit?before=x")).statusCode()).isEqualTo(400);
  }

  @Test
  void the_audit_page_pages_older_entries_by_keyset() throws Exception {
    for (int i = 0; i < AuditPages.PAGE + 5; i++) {
      audit.record(AuditRecord.of("pager", "POST /api/runs", "/api/runs/" + i, 201, null));
    }
    String first = client.send(client.get("/audit?actor=pager")).body();
    Matcher next =
        Pattern.compile("href=\"(/audit\\?before=\\d+&amp;actor=pager)\"").matcher(first);
    assertThat(next.find()).as(first).isTrue();
    String second = client.send(client.get(next.group(1).replace("&amp;", "&"))).body();
    List<String> firstTargets = targets(first);
    List<String> secondTargets = targets(second);
    assertThat(firstTargets).hasSize(AuditPages.PAGE).doesNotContainAnyElementsOf(secondTargets);
    assertThat(secondTargets).hasSize(5).contains("/api/runs/0");
    assertThat(second).doesNotContain("Older entries");
  }

  private static List<String> targets(String html) {
    Matcher m = Pattern.compile("<span class=\"meta\">(/api/runs/\\d+)</span>").matcher(html);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static HttpResponse<String> form(
      String cookie, String path, String csrf, String yaml, String version, String action) {
    String body =
        Demo.Client.formBody("csrf", csrf, "version", version, "do", action, "yaml", yaml);
    return client.send(client.sameOriginForm(path, cookie, body));
  }
}
