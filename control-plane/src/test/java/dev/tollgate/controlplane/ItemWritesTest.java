package dev.tollgate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.policy.PolicyEngine;
import dev.tollgate.policy.WorkItemService;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Creating work items and changing their fields over HTTP, and epics with their progress: the same
 * checks as {@code tollgate items create|set}, every problem at once, the actor always the caller;
 * and the board's backlog filters and the console's forms for the same.
 */
class ItemWritesTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-06T03:00:00Z"), ZoneOffset.UTC);
  private static final String ALICE = "tgt_alice-writes-token";
  private static final String READER = "tgt_reader-writes-token";
  private static final OpenApiDocument OPEN_API = OpenApiDocument.load();

  @TempDir Path dir;
  private Path project;
  private ControlPlaneServer server;
  private Demo.Client client;

  @BeforeEach
  void serve() {
    project = Demo.copy(dir.resolve("project"));
    WorkItemService items = WorkItemService.of(PolicyEngine.load(project, CLOCK), CLOCK);
    server =
        ControlPlaneServer.start(
            ControlPlane.builder()
                .workItems(items)
                .authenticator(
                    Authenticator.firstOf(
                        BearerTokens.of(
                            Map.of(
                                BearerTokens.hash(ALICE),
                                new Identity("alice", EnumSet.of(Scope.READ, Scope.ACT)),
                                BearerTokens.hash(READER),
                                new Identity("rita", EnumSet.of(Scope.READ)))),
                        Authenticator.loopback("lena")))
                .clock(CLOCK)
                .build(),
            "127.0.0.1",
            0,
            "");
    client = new Demo.Client(server.uri());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> call(String method, String token, String path, String body) {
    return client.send(
        client
            .get(path)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body)));
  }

  private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
    return OPEN_API.answer(r, status);
  }

  @Test
  void an_item_is_created_as_the_caller_and_written_to_its_file() throws Exception {
    JsonNode write =
        json(
            call(
                "POST",
                ALICE,
                "/api/control-plane/items",
                "{\"id\":\"wi-SF-200\",\"title\":\"Show the refund's status\",\"epic\":\"REF\","
                    + "\"owner\":\"dana\",\"priority\":2,\"blockedBy\":[\"wi-SF-102\"]}"),
            201);

    assertThat(write.get("actor").asText()).isEqualTo("alice");
    assertThat(write.get("written").asBoolean()).isTrue();
    assertThat(write.get("file").asText()).isEqualTo("work-items/wi-SF-200.yml");
    String file = Files.readString(project.resolve("work-items/wi-SF-200.yml"));
    assertThat(file).contains("epic: REF").contains("owner: dana").contains("actor: alice");
    JsonNode listed =
        json(
            client.send(
                client
                    .get("/api/control-plane/items?epic=REF&owner=dana")
                    .header("Authorization", "Bearer " + ALICE)),
            200);
    assertThat(listed.get("items").findValuesAsText("id")).contains("wi-SF-200");
  }

  @Test
  void every_problem_of_a_new_item_is_reported_at_once_and_nothing_is_written() throws Exception {
    JsonNode refused =
        json(
            call(
                "POST",
                ALICE,
                "/api/control-plane/items",
                "{\"id\":\"wi-SF-102\",\"title\":\"Taken\",\"epic\":\"NOPE\",\"lane\":\"nowhere\"}"),
            400);

    assertThat(refused.get("problems")).hasSizeGreaterThanOrEqualTo(3);
    assertThat(refused.get("problems").findValuesAsText("message"))
        .anySatisfy(m -> assertThat(m).contains("already exists"))
        .anySatisfy(m -> assertThat(m).contains("NOPE"))
        .anySatisfy(m -> assertThat(m).contains("nowhere"));
    json(
        call(
            "POST",
            ALICE,
            "/api/control-plane/items",
            "{\"id\":\"x\",\"title\":\"t\",\"actor\":\"mallory\"}"),
        400);
    json(
        call(
            "POST",
            ALICE,
            "/api/control-plane/items",
            "{\"id\":\"wi-9\",\"title\":\"t\",\"priority\":\"high\"}"),
        400);
    json(
        call("POST", READER, "/api/control-plane/items", "{\"id\":\"wi-9\",\"title\":\"t\"}"), 403);
    assertThat(project.resolve("work-items/wi-9.yml")).doesNotExist();
  }

  @Test
  void a_patch_sets_and_clears_fields_and_an_unchanged_value_writes_nothing() throws Exception {
    JsonNode write =
        json(
            call(
                "PATCH",
                ALICE,
                "/api/control-plane/items/wi-SF-102",
                "{\"owner\":\"dana\",\"due\":null,\"priority\":3}"),
            200);
    assertThat(write.get("written").asBoolean()).isTrue();
    assertThat(write.get("changes").toString()).contains("owner").contains("due");
    String file = Files.readString(project.resolve("work-items/wi-SF-102.yml"));
    assertThat(file).contains("owner: dana").contains("priority: 3").doesNotContain("due:");

    JsonNode again =
        json(
            call("PATCH", ALICE, "/api/control-plane/items/wi-SF-102", "{\"owner\":\"dana\"}"),
            200);
    assertThat(again.get("written").asBoolean()).isFalse();
    json(
        call("PATCH", ALICE, "/api/control-plane/items/wi-SF-102", "{\"due\":\"2026-02-30\"}"),
        400);
    json(call("PATCH", ALICE, "/api/control-plane/items/wi-none", "{\"owner\":\"x\"}"), 404);
  }

  @Test
  void epics_show_their_progress_and_the_blockers_holding_unfinished_items() throws Exception {
    JsonNode epics =
        json(
            client.send(
                client.get("/api/control-plane/epics").header("Authorization", "Bearer " + READER)),
            200);
    assertThat(epics.get("epics").findValuesAsText("id")).containsExactly("CHK", "REF");
    JsonNode chk = epics.get("epics").get(0);
    assertThat(chk.get("total").asInt()).isPositive();
    assertThat(chk.get("percent").asInt()).isBetween(0, 100);

    String page = client.send(client.get("/epics")).body();
    assertThat(page).contains("Checkout flow").contains("Refunds").contains("<progress");
  }

  @Test
  void the_board_filters_by_epic_status_owner_and_priority() throws Exception {
    String all = client.send(client.get("/")).body();
    String bob = client.send(client.get("/?owner=bob&epic=CHK")).body();
    assertThat(all).contains("wi-SF-102");
    assertThat(bob).contains("wi-SF-102");
    assertThat(cards(bob)).isLessThan(cards(all)).isPositive();
    HttpResponse<String> bad = client.send(client.get("/?status=sleeping"));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("sleeping");
  }

  @Test
  void the_console_creates_an_item_and_edits_its_fields_as_the_signed_in_user() throws Exception {
    HttpResponse<String> board = client.send(client.get("/"));
    String cookie = board.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(board.body());
    assertThat(m.find()).isTrue();
    String csrf = m.group(1);

    HttpResponse<String> created =
        form(
            cookie,
            "/items",
            "csrf="
                + csrf
                + "&id=wi-SF-300&title=%3Cb%3EBold%3C%2Fb%3E&lane=&epic=CHK&owner=&priority=");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
    assertThat(created.headers().firstValue("Location").orElseThrow())
        .endsWith("/items/wi-SF-300?done=created");
    String item = client.send(client.get("/items/wi-SF-300")).body();
    assertThat(item).contains("&lt;b&gt;Bold&lt;/b&gt;").doesNotContain("<b>Bold</b>");

    HttpResponse<String> edited =
        form(
            cookie,
            "/items/wi-SF-300/fields",
            "csrf=" + csrf + "&owner=carol&priority=2&due=&epic=REF&addBlockers=wi-SF-102");
    assertThat(edited.statusCode()).as(edited.body()).isEqualTo(303);
    String file = Files.readString(project.resolve("work-items/wi-SF-300.yml"));
    assertThat(file)
        .contains("owner: carol")
        .contains("epic: REF")
        .contains("wi-SF-102")
        .contains("actor: lena");

    HttpResponse<String> refused =
        form(cookie, "/items/wi-SF-300/fields", "csrf=" + csrf + "&epic=NOPE");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("NOPE");
  }

  private static int cards(String html) {
    return html.split("class=\"card", -1).length - 1;
  }

  private HttpResponse<String> form(String cookie, String path, String body) {
    return client.send(client.sameOriginForm(path, cookie, body));
  }
}
