package dev.tollgate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.policy.PolicyEngine;
import dev.tollgate.policy.WorkItemService;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The work-item API and its guards, served by Jetty on loopback over a copy of the demo project:
 * identities from bearer tokens (hashed) and the loopback authenticator, scopes, the policy's own
 * gates, cross-site refusals and the Diagnostic shape of every error.
 */
class ControlPlaneApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-06T03:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private ControlPlaneServer server;
  private Demo.Client client;

  private static final String ALICE = "tgt_alice-token-for-tests";
  private static final String READER = "tgt_reader-token-for-tests";
  private static final String CAROL = "tgt_carol-token-for-tests";

  private void serve(Authenticator authenticator, boolean readOnly) {
    Path project = Demo.copy(dir.resolve("project"));
    WorkItemService items = WorkItemService.of(PolicyEngine.load(project, CLOCK), CLOCK);
    ControlPlane plane =
        ControlPlane.builder()
            .workItems(items)
            .authenticator(authenticator)
            .clock(CLOCK)
            .readOnly(readOnly)
            .build();
    server = ControlPlaneServer.start(plane, "127.0.0.1", 0, "/ops");
    client = new Demo.Client(server.uri());
  }

  private static Authenticator tokens() {
    return BearerTokens.of(
        Map.of(
            BearerTokens.hash(ALICE),
            new Identity("alice", EnumSet.of(Scope.READ, Scope.ACT)),
            BearerTokens.hash(READER),
            new Identity("alice", EnumSet.of(Scope.READ)),
            BearerTokens.hash(CAROL),
            new Identity("carol", EnumSet.allOf(Scope.class))));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> perform(String token, String item, String action) {
    return client.send(
        client
            .postJson("/api/control-plane/items/" + item + "/actions/" + action, "{}")
            .header("Authorization", "Bearer " + token));
  }

  @Test
  void health_answers_without_an_identity_and_everything_else_needs_one() throws Exception {
    serve(tokens(), false);
    HttpResponse<String> health = client.send(client.get("/api/health"));
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health).get("status").asText()).isEqualTo("ok");

    HttpResponse<String> board = client.send(client.get("/api/control-plane/board"));
    assertThat(board.statusCode()).isEqualTo(401);
    assertThat(board.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    JsonNode error = json(board).get("error");
    assertThat(error.get("rule").asText()).isEqualTo("api.unauthenticated");
    assertThat(error.get("severity").asText()).isEqualTo("error");
    assertThat(error.get("hint").asText()).contains("Authorization: Bearer");
    assertThat(board.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(v -> assertThat(v).contains("frame-ancestors 'none'"));

    HttpResponse<String> wrong =
        client.send(client.get("/api/control-plane/board").header("Authorization", "Bearer nope"));
    assertThat(wrong.statusCode()).isEqualTo(401);
  }

  @Test
  void the_board_lists_lanes_in_policy_order_with_wip_limits_and_items() throws Exception {
    serve(tokens(), false);
    JsonNode board =
        json(
            client.send(
                client
                    .get("/api/control-plane/board")
                    .header("Authorization", "Bearer " + READER)));
    assertThat(board.get("lanes"))
        .extracting(lane -> lane.get("id").asText())
        .containsExactly("backlog", "ready", "in-progress", "review", "done");
    JsonNode inProgress = board.get("lanes").get(2);
    assertThat(inProgress.get("title").asText()).isEqualTo("In progress");
    assertThat(inProgress.get("wipLimit").asInt()).isEqualTo(2);
    assertThat(inProgress.get("count").asInt()).isEqualTo(1);
    assertThat(inProgress.get("items").get(0).get("id").asText()).isEqualTo("wi-SF-102");
  }

  @Test
  void the_item_list_filters_by_lane_and_owner_and_refuses_an_unknown_lane() throws Exception {
    serve(tokens(), false);
    JsonNode ready =
        json(
            client.send(
                client
                    .get("/api/control-plane/items?lane=ready&owner=dana")
                    .header("Authorization", "Bearer " + READER)));
    assertThat(ready.get("items").findValuesAsText("id")).containsExactly("wi-SF-104");

    HttpResponse<String> bad =
        client.send(
            client
                .get("/api/control-plane/items?lane=nowhere")
                .header("Authorization", "Bearer " + READER));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).get("error").get("message").asText())
        .isEqualTo(
            "query parameter lane: expected one of backlog, ready, in-progress, review, done but found 'nowhere'");
  }

  @Test
  void the_item_detail_is_the_library_payload_for_the_caller() throws Exception {
    serve(tokens(), false);
    JsonNode detail =
        json(
            client.send(
                client
                    .get("/api/control-plane/items/wi-SF-103")
                    .header("Authorization", "Bearer " + ALICE)));
    assertThat(detail.get("id").asText()).isEqualTo("wi-SF-103");
    assertThat(detail.get("lifecycle").get("lane").asText()).isEqualTo("ready");
    assertThat(detail.has("queueTruth")).isTrue();
    HttpResponse<String> missing =
        client.send(
            client
                .get("/api/control-plane/items/wi-NOPE")
                .header("Authorization", "Bearer " + ALICE));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).get("error").get("message").asText())
        .isEqualTo("no work item 'wi-NOPE'");
  }

  @Test
  void performing_an_enabled_action_moves_the_item_as_the_authenticated_caller() throws Exception {
    serve(tokens(), false);
    HttpResponse<String> response = perform(ALICE, "wi-SF-104", "start-execution");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.get("performed").asBoolean()).isTrue();
    assertThat(body.get("actor").asText()).isEqualTo("alice");
    assertThat(body.get("item").get("lane").asText()).isEqualTo("in-progress");
    String file = Files.readString(dir.resolve("project/work-items/wi-SF-104.yml"));
    assertThat(file).contains("lane: in-progress").contains("alice");
  }

  @Test
  void an_actor_in_the_request_body_is_refused_since_the_actor_is_the_caller() throws Exception {
    serve(tokens(), false);
    HttpResponse<String> response =
        client.send(
            client
                .postJson(
                    "/api/control-plane/items/wi-SF-104/actions/start-execution",
                    "{\"actor\":\"carol\"}")
                .header("Authorization", "Bearer " + ALICE));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("error").get("message").asText())
        .isEqualTo(
            "unexpected field 'actor' in the request body: the actor is the authenticated caller");
    assertThat(Files.readString(dir.resolve("project/work-items/wi-SF-104.yml")))
        .contains("lane: ready");
  }

  @Test
  void a_blocked_action_answers_422_with_the_gate_and_its_recovery_and_changes_nothing()
      throws Exception {
    serve(tokens(), false);
    Path file = dir.resolve("project/work-items/wi-SF-102.yml");
    String before = Files.readString(file);
    HttpResponse<String> response = perform(ALICE, "wi-SF-102", "ship");
    assertThat(response.statusCode()).isEqualTo(422);
    JsonNode body = json(response);
    assertThat(body.get("performed").asBoolean()).isFalse();
    assertThat(body.get("error").get("rule").asText()).isEqualTo("lane-transition");
    JsonNode recovery = body.get("action").get("recovery");
    assertThat(recovery.get("cause").asText()).isNotBlank();
    assertThat(recovery.get("nextStep").asText()).isNotBlank();
    assertThat(recovery.get("safeRetry").asText()).isNotBlank();
    assertThat(body.get("error").get("hint").asText()).isEqualTo(recovery.get("nextStep").asText());
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  void the_policy_permission_gate_applies_to_the_caller_even_with_the_act_scope() throws Exception {
    serve(tokens(), false);
    // carol holds every scope but is in no team the policy lets start work items.
    HttpResponse<String> response = perform(CAROL, "wi-SF-104", "start-execution");
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(json(response).get("error").get("rule").asText()).isEqualTo("permission");
  }

  @Test
  void a_token_without_the_act_scope_is_refused_with_the_missing_scope() throws Exception {
    serve(tokens(), false);
    HttpResponse<String> response = perform(READER, "wi-SF-103", "start-execution");
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(json(response).get("error").get("message").asText())
        .isEqualTo(
            "alice lacks the scope 'act' that POST /api/control-plane/items/{id}/actions/{action} needs");
  }

  @Test
  void read_only_mode_refuses_every_state_change() throws Exception {
    serve(tokens(), true);
    HttpResponse<String> response = perform(ALICE, "wi-SF-103", "start-execution");
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(json(response).get("error").get("rule").asText()).isEqualTo("api.read-only");
    assertThat(Files.readString(dir.resolve("project/work-items/wi-SF-103.yml")))
        .contains("lane: ready");
  }

  @Test
  void unknown_paths_wrong_methods_and_malformed_bodies_get_located_diagnostics() throws Exception {
    serve(tokens(), false);
    HttpResponse<String> missing =
        client.send(client.get("/api/nothing-here").header("Authorization", "Bearer " + ALICE));
    assertThat(missing.statusCode()).isEqualTo(404);
    HttpResponse<String> method =
        client.send(
            client
                .get("/api/control-plane/items/wi-SF-103/actions/start-execution")
                .header("Authorization", "Bearer " + ALICE));
    assertThat(method.statusCode()).isEqualTo(405);
    assertThat(json(method).get("error").get("message").asText()).endsWith("allowed: POST");
    HttpResponse<String> malformed =
        client.send(
            client
                .postJson(
                    "/api/control-plane/items/wi-SF-103/actions/start-execution", "{\n  \"a\": }")
                .header("Authorization", "Bearer " + ALICE));
    assertThat(malformed.statusCode()).isEqualTo(400);
    JsonNode error = json(malformed).get("error");
    assertThat(error.get("rule").asText()).isEqualTo("api.bad-json");
    assertThat(error.get("file").asText()).isEqualTo("request body");
    assertThat(error.get("line").asInt()).isEqualTo(2);
    assertThat(error.get("column").asInt()).isPositive();
    assertThat(Files.readString(dir.resolve("project/work-items/wi-SF-103.yml")))
        .contains("lane: ready");
  }

  @Test
  void a_browser_session_on_loopback_needs_json_same_origin_and_the_session_token()
      throws Exception {
    serve(Authenticator.loopback("operator"), false);
    String action = "/api/control-plane/items/wi-SF-103/actions/record-history";

    // A cross-site HTML form: wrong content type.
    HttpResponse<String> form =
        client.send(
            client
                .get(action)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("a=b")));
    assertThat(form.statusCode()).isEqualTo(415);

    // JSON from another site (fetch with no-cors cannot send JSON, but a browser says where from).
    HttpResponse<String> crossSite =
        client.send(client.postJson(action, "{}").header("Sec-Fetch-Site", "cross-site"));
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(json(crossSite).get("error").get("message").asText()).contains("cross-site");
    HttpResponse<String> otherOrigin =
        client.send(client.postJson(action, "{}").header("Origin", "http://evil.example"));
    assertThat(otherOrigin.statusCode()).isEqualTo(403);

    // Same origin but without the session's token.
    HttpResponse<String> noToken =
        client.send(client.postJson(action, "{}").header("Sec-Fetch-Site", "same-origin"));
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(json(noToken).get("error").get("message").asText()).contains("X-Tollgate-CSRF");

    // The console's way: read the token from the session, send cookie and header.
    HttpResponse<String> session = client.send(client.get("/api/session"));
    assertThat(session.statusCode()).isEqualTo(200);
    String token = json(session).get("csrfToken").asText();
    String cookie = session.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie)
        .contains("HttpOnly")
        .containsIgnoringCase("SameSite=Strict")
        .contains("Path=/ops");
    HttpResponse<String> ok =
        client.send(
            client
                .postJson(action, "{}")
                .header("Sec-Fetch-Site", "same-origin")
                .header("Cookie", cookie.substring(0, cookie.indexOf(';')))
                .header("X-Tollgate-CSRF", token));
    // record-history needs a permission the anonymous operator has not: the policy, not the
    // transport, refuses it.
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(422);
    assertThat(json(ok).get("error").get("rule").asText()).isEqualTo("permission");
  }

  @Test
  void a_page_whose_dns_name_points_at_loopback_gets_no_identity() throws Exception {
    serve(Authenticator.loopback("operator"), false);
    try (Socket socket = new Socket("127.0.0.1", server.uri().getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /ops/api/control-plane/board HTTP/1.1\r\nHost: rebound.example:"
                  + server.uri().getPort()
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertThat(status).isEqualTo("HTTP/1.1 401 Unauthorized");
    }
    HttpResponse<String> local = client.send(client.get("/api/control-plane/board"));
    assertThat(local.statusCode()).isEqualTo(200);
  }
}
