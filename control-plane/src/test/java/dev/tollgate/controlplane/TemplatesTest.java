package dev.tollgate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.template.ParamsCipher;
import dev.tollgate.core.runs.template.TemplateCatalog;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Run templates over HTTP: listed with their schemas, previewed (secrets {@code ***}, parameters as
 * variables), enqueued from the API and from the form generated from the schema, and refused with
 * every problem when the parameters do not fit.
 */
class TemplatesTest {
  private static final String TOKEN = "tgt_templates-token-for-tests";
  private static final String HOSTILE = "<script>alert(1)</script>";

  private static Path root;
  private static Database db;
  private static RunQueue queue;
  private static ControlPlaneServer server;
  private static Demo.Client client;

  @BeforeAll
  static void start() throws Exception {
    root = Files.createTempDirectory("tollgate-templates");
    Path file = root.resolve(".tollgate/templates/rotate-key.yml");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        "name: rotate-key\n"
            + "description: Rotate a service's API key\n"
            + "lane: ops\n"
            + "params:\n"
            + "  type: object\n"
            + "  additionalProperties: false\n"
            + "  required: [service, key]\n"
            + "  properties:\n"
            + "    service: {enum: [checkout, refunds]}\n"
            + "    key: {type: string, writeOnly: true, description: The new key}\n"
            + "    grace: {type: integer, minimum: 0, maximum: 60, default: 5}\n"
            + "    note: {type: string}\n"
            + "steps:\n"
            + "  - name: rotate\n"
            + "    shell: 'echo rotating \"$TOLLGATE_PARAM_SERVICE\"'\n");
    db = TestDatabase.freshSchema("cp_templates", 4);
    queue = PostgresRunQueue.open(db.dataSource(), db.schema());
    ParamsCipher cipher = ParamsCipher.of(new byte[32]);
    ControlPlane plane =
        ControlPlane.builder()
            .runs(queue)
            .templates(() -> TemplateCatalog.forProject(root), () -> Optional.of(cipher))
            .authenticator(
                Authenticator.firstOf(
                    BearerTokens.of(
                        Map.of(
                            BearerTokens.hash(TOKEN),
                            new Identity("olga", EnumSet.of(Scope.READ, Scope.ACT)))),
                    Authenticator.loopback("lena")))
            .build();
    server = ControlPlaneServer.start(plane, "127.0.0.1", 0, "");
    client = new Demo.Client(server.uri());
  }

  @AfterAll
  static void stop() {
    server.close();
    db.close();
  }

  private static HttpResponse<String> post(String path, String body) {
    return client.send(client.postJson(path, body).header("Authorization", "Bearer " + TOKEN));
  }

  private static final OpenApiDocument OPEN_API = OpenApiDocument.load();

  private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
    return OPEN_API.answer(r, status);
  }

  @Test
  void templates_are_listed_with_their_parameter_schema_and_steps() throws Exception {
    JsonNode list =
        json(
            client.send(client.get("/api/templates").header("Authorization", "Bearer " + TOKEN)),
            200);

    JsonNode t = list.get("templates").get(0);
    assertThat(t.get("name").asText()).isEqualTo("rotate-key");
    assertThat(t.get("paramsSchema").get("required").toString()).isEqualTo("[\"service\",\"key\"]");
    assertThat(t.get("steps").get(0).get("kind").asText()).isEqualTo("shell");
  }

  @Test
  void a_preview_shows_defaults_and_variables_with_the_secret_masked_and_enqueues_nothing()
      throws Exception {
    long before = queue.stats().lanes().stream().mapToLong(l -> l.queued()).sum();

    JsonNode preview =
        json(
            post(
                "/api/templates/rotate-key/preview",
                "{\"params\":{\"service\":\"checkout\",\"key\":\"s3cr3t-value\"}}"),
            200);

    assertThat(preview.get("valid").asBoolean()).isTrue();
    assertThat(preview.get("params").get("grace").asInt()).isEqualTo(5);
    assertThat(preview.get("variables").get("TOLLGATE_PARAM_KEY").asText()).isEqualTo("***");
    assertThat(preview.toString()).doesNotContain("s3cr3t-value");
    assertThat(preview.get("steps").get(0).get("runs").asText())
        .contains("$TOLLGATE_PARAM_SERVICE");
    assertThat(queue.stats().lanes().stream().mapToLong(l -> l.queued()).sum()).isEqualTo(before);
  }

  @Test
  void enqueue_checks_the_parameters_and_reports_every_problem() throws Exception {
    JsonNode refused =
        json(
            post(
                "/api/runs",
                "{\"template\":\"rotate-key\",\"params\":{\"service\":\"billing\",\"grace\":99}}"),
            400);

    assertThat(refused.get("problems")).hasSize(3);
    assertThat(refused.get("problems").toString())
        .contains("params.service")
        .contains("params.grace")
        .contains("key");

    JsonNode created =
        json(
            post(
                "/api/runs",
                "{\"template\":\"rotate-key\",\"params\":{\"service\":\"refunds\",\"key\":\"k-1\"},"
                    + "\"idempotencyKey\":\"rotate-refunds\"}"),
            201);
    assertThat(created.get("lane").asText()).isEqualTo("ops");
    assertThat(created.get("params").get("key").asText()).isEqualTo("***");
    JsonNode again =
        json(
            post(
                "/api/runs",
                "{\"template\":\"rotate-key\",\"params\":{\"service\":\"refunds\",\"key\":\"k-2\"},"
                    + "\"idempotencyKey\":\"rotate-refunds\"}"),
            200);
    assertThat(again.get("id").asLong()).isEqualTo(created.get("id").asLong());
  }

  @Test
  void the_form_is_generated_from_the_schema_and_enqueues_as_the_signed_in_user() throws Exception {
    HttpResponse<String> page = client.send(client.get("/templates/rotate-key"));
    assertThat(page.statusCode()).isEqualTo(200);
    String html = page.body();
    assertThat(html)
        .contains("<select id=\"p-service\" name=\"p.service\">")
        .contains("name=\"p.key\" type=\"password\"")
        .contains("name=\"p.grace\" type=\"number\"")
        .contains("at most 60");
    String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
    assertThat(m.find()).isTrue();
    String form =
        "csrf="
            + m.group(1)
            + "&p.service=checkout&p.key=hunter2&p.grace=&p.note="
            + URLEncoder.encode(HOSTILE, StandardCharsets.UTF_8)
            + "&lane=";

    HttpResponse<String> preview = form(cookie, "/templates/rotate-key/preview", form);
    HttpResponse<String> enqueued = form(cookie, "/templates/rotate-key/enqueue", form);

    assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
    assertThat(preview.body())
        .contains("What will run")
        .contains("TOLLGATE_PARAM_KEY</dt><dd>***")
        .doesNotContain("hunter2")
        .doesNotContain(HOSTILE)
        .contains("&lt;script&gt;");
    assertThat(enqueued.statusCode()).as(enqueued.body()).isEqualTo(303);
    long id =
        Long.parseLong(
            enqueued
                .headers()
                .firstValue("Location")
                .orElseThrow()
                .replaceAll(".*/runs/(\\d+).*", "$1"));
    Run run = queue.find(id).orElseThrow();
    assertThat(run.template()).isEqualTo("rotate-key");
    assertThat(run.params().get("key").asText()).isEqualTo("***");
    assertThat(run.params().get("note").asText()).isEqualTo(HOSTILE);

    HttpResponse<String> bad =
        form(cookie, "/templates/rotate-key/enqueue", "csrf=" + m.group(1) + "&p.grace=x");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("nothing was enqueued").contains("params.grace");
  }

  private static HttpResponse<String> form(String cookie, String path, String body) {
    return client.send(client.sameOriginForm(path, cookie, body));
  }
}
