package dev.tollgate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.policy.PolicyEngine;
import dev.tollgate.policy.WorkItemService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document in {@code docs/openapi.json} is the API: it names every route the servlet
 * has, the server serves it, and real responses (successes and refusals) validate against the
 * schema it declares for their path, method and status.
 */
class OpenApiContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "tgt_contract-token-for-tests";

  @TempDir static Path dir;
  private static Database db;
  private static RunQueue queue;
  private static ControlPlane plane;
  private static ControlPlaneServer server;
  private static OpenApiDocument openApi;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<String> checked = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.freshSchema("cp_openapi", 4);
    queue = PostgresRunQueue.open(db.dataSource(), db.schema());
    Path project = Demo.copy(dir.resolve("project"));
    Clock clock = Clock.systemUTC();
    plane =
        ControlPlane.builder()
            .workItems(WorkItemService.of(PolicyEngine.load(project, clock), clock))
            .runs(queue)
            .authenticator(
                BearerTokens.of(Map.of(BearerTokens.hash(TOKEN), Identity.withAllScopes("alice"))))
            .build();
    server = ControlPlaneServer.start(plane, "127.0.0.1", 0, "");
    openApi = OpenApiDocument.load();
  }

  @AfterAll
  static void stop() {
    server.close();
    db.close();
  }

  @Test
  void the_document_names_every_route_of_the_servlet_and_no_other() {
    List<String> documented = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = openApi.document().get("paths").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      path.getValue()
          .fieldNames()
          .forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path.getKey()));
    }
    List<String> routes = new ApiServlet(plane).routes();
    assertThat(documented).containsExactlyInAnyOrderElementsOf(routes);
  }

  @Test
  void the_server_serves_the_document_kept_in_docs() throws Exception {
    HttpResponse<String> served = send("GET", "/api/openapi.json", null, false);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(served.body())).isEqualTo(openApi.document());
    assertThat(openApi.document().get("openapi").asText()).isEqualTo("3.1.0");
  }

  @Test
  void real_responses_validate_against_the_documented_schemas() throws Exception {
    Run run = queue.enqueue(NewRun.builder("contract").lane("contract").build()).run();
    Run other = queue.enqueue(NewRun.builder("contract").lane("contract").build()).run();
    queue.claim("w-contract", List.of("contract"), 1);

    check("GET", "/api/health", "/api/health", null, 200);
    check("GET", "/api/session", "/api/session", null, 200);
    check("GET", "/api/control-plane/board", "/api/control-plane/board", null, 200);
    check("GET", "/api/control-plane/items?lane=ready", "/api/control-plane/items", null, 200);
    check("GET", "/api/control-plane/items/wi-SF-102", "/api/control-plane/items/{id}", null, 200);
    check("GET", "/api/control-plane/items/wi-NOPE", "/api/control-plane/items/{id}", null, 404);
    check(
        "GET",
        "/api/control-plane/items/wi-SF-104/actions",
        "/api/control-plane/items/{id}/actions",
        null,
        200);
    check(
        "POST",
        "/api/control-plane/items/wi-SF-102/actions/ship",
        "/api/control-plane/items/{id}/actions/{action}",
        "{}",
        422);
    check(
        "POST",
        "/api/control-plane/items/wi-SF-104/actions/start-execution",
        "/api/control-plane/items/{id}/actions/{action}",
        "{}",
        200);
    check("GET", "/api/runs?limit=1", "/api/runs", null, 200);
    check("GET", "/api/runs?limit=0", "/api/runs", null, 400);
    check("GET", "/api/runs/lanes", "/api/runs/lanes", null, 200);
    check("GET", "/api/runs/" + run.id(), "/api/runs/{id}", null, 200);
    check("GET", "/api/runs/" + run.id() + "/events", "/api/runs/{id}/events", null, 200);
    check(
        "POST",
        "/api/runs/" + other.id() + "/cancel",
        "/api/runs/{id}/cancel",
        "{\"reason\":\"contract\"}",
        200);
    check("POST", "/api/runs/" + other.id() + "/retry", "/api/runs/{id}/retry", "{}", 201);
    HttpResponse<String> anonymous = send("GET", "/api/runs", null, false);
    validate("/api/runs", "get", 401, anonymous);
    assertThat(checked).hasSize(17);
  }

  @Test
  void the_contract_check_itself_rejects_bodies_that_break_the_schema() throws Exception {
    JsonSchema board = openApi.schema("/components/schemas/Board");
    assertThat(board.validate(JSON.readTree("{\"lanes\": \"none\"}"))).isNotEmpty();
    assertThat(board.validate(JSON.readTree("{\"lanes\": [{\"id\": \"x\"}]}"))).isNotEmpty();
    JsonSchema run = openApi.schema("/components/schemas/Run");
    assertThat(run.validate(JSON.readTree("{\"id\": 1, \"surprise\": true}"))).isNotEmpty();
  }

  private static void check(String method, String uri, String template, String body, int status)
      throws Exception {
    HttpResponse<String> response = send(method, uri, body, true);
    assertThat(response.statusCode())
        .as("%s %s: %s", method, uri, response.body())
        .isEqualTo(status);
    validate(template, method.toLowerCase(), status, response);
  }

  private static void validate(
      String template, String method, int status, HttpResponse<String> response) {
    assertThat(openApi.problems(template, method, status, response.body()))
        .as("%s %s %d: %s", method, template, status, response.body())
        .isEmpty();
    checked.add(method + " " + template + " " + status);
  }

  private static HttpResponse<String> send(String method, String uri, String body, boolean auth)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.uri().toString() + uri.substring(1)));
    if (auth) {
      b.header("Authorization", "Bearer " + TOKEN);
    }
    if (body != null) {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
