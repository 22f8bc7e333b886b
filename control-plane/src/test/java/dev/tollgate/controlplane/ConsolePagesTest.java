package dev.tollgate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.Completion;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.RunStatus;
import dev.tollgate.core.workitem.NewWorkItem;
import dev.tollgate.policy.PolicyEngine;
import dev.tollgate.policy.WorkItemService;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's pages over the demo project and a real queue: they render what the API serves,
 * escape every user string, and accept a form only from the same origin with the session's token.
 */
class ConsolePagesTest {
  private static final String HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>";
  private static Database db;
  private static RunQueue queue;

  @TempDir Path dir;
  private ControlPlaneServer server;
  private Demo.Client client;
  private Path project;

  @BeforeAll
  static void database() {
    db = TestDatabase.freshSchema("cp_pages", 4);
    queue = PostgresRunQueue.open(db.dataSource(), db.schema());
  }

  @AfterAll
  static void closeDatabase() {
    db.close();
  }

  @BeforeEach
  void serve() {
    project = Demo.copy(dir.resolve("project"));
    Clock clock = Clock.systemUTC();
    WorkItemService items = WorkItemService.of(PolicyEngine.load(project, clock), clock);
    items.create(
        NewWorkItem.builder("wi-SF-666", HOSTILE).owner("mallory").lane("backlog").build(),
        "alice");
    ControlPlane plane =
        ControlPlane.builder()
            .workItems(items)
            .runs(queue)
            .authenticator(Authenticator.loopback("alice"))
            .build();
    server = ControlPlaneServer.start(plane, "127.0.0.1", 0, "/ops");
    client = new Demo.Client(server.uri());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) {
    return client.send(client.get(path));
  }

  @Test
  void the_board_shows_every_lane_with_its_wip_and_escapes_item_titles() {
    HttpResponse<String> board = get("/");
    assertThat(board.statusCode()).isEqualTo(200);
    assertThat(board.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
    String html = board.body();
    assertThat(html).contains("In progress <span class=\"count\">1/2</span>");
    assertThat(html).contains("href=\"/ops/items/wi-SF-104\"");
    assertThat(html).doesNotContain("<script>alert").doesNotContain("<img src=x");
    assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    String csp = board.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline");
  }

  @Test
  void each_page_with_every_stylesheet_and_script_it_loads_stays_under_150_kilobytes() {
    Pattern asset = Pattern.compile("<(?:link rel=\"stylesheet\" href|script src)=\"([^\"]+)\"");
    for (String page : List.of("/", "/items/wi-SF-102", "/runs", "/epics")) {
      HttpResponse<String> html = get(page);
      assertThat(html.statusCode()).as(page).isEqualTo(200);
      long bytes = html.body().getBytes(StandardCharsets.UTF_8).length;
      List<String> assets = asset.matcher(html.body()).results().map(m -> m.group(1)).toList();
      assertThat(assets).as(page).hasSize(2);
      for (String href : assets) {
        HttpResponse<String> loaded = get(href.substring("/ops".length()));
        assertThat(loaded.statusCode()).as(href).isEqualTo(200);
        bytes += loaded.body().getBytes(StandardCharsets.UTF_8).length;
      }
      assertThat(bytes).as(page + " with its assets").isLessThan(150 * 1024);
    }
  }

  @Test
  void an_item_page_shows_each_action_enabled_or_blocked_with_its_recovery() {
    String html = get("/items/wi-SF-102").body();
    assertThat(html).contains("Ship <span class=\"state\">Blocked</span>");
    assertThat(html).contains("<dt>Next step</dt>").contains("<dt>Safe retry</dt>");
    String item = get("/items/wi-SF-104").body();
    assertThat(item).contains("Start execution <span class=\"state\">Enabled</span>");
    assertThat(item).contains("action=\"/ops/items/wi-SF-104/actions/start-execution\"");
    // The prompt file's text is shown, escaped.
    assertThat(item).contains("Prompt context").contains("work-items/prompts/wi-SF-104.prompt.md");
  }

  @Test
  void a_same_origin_form_with_the_session_token_performs_the_action_as_the_caller()
      throws Exception {
    HttpResponse<String> page = get("/items/wi-SF-104");
    String cookie = cookie(page);
    String token = token(page.body());
    HttpResponse<String> posted =
        client.send(
            form("/items/wi-SF-104/actions/start-execution", "csrf=" + token)
                .header("Cookie", cookie)
                .header("Sec-Fetch-Site", "same-origin"));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(303);
    assertThat(posted.headers().firstValue("Location"))
        .hasValue("/ops/items/wi-SF-104?done=start-execution");
    assertThat(Files.readString(project.resolve("work-items/wi-SF-104.yml")))
        .contains("lane: in-progress");
    String after =
        client
            .send(client.get("/items/wi-SF-104?done=start-execution").header("Cookie", cookie))
            .body();
    assertThat(after).contains("Done: start-execution by alice.");
  }

  @Test
  void a_cross_site_form_is_refused_even_with_a_stolen_token_and_nothing_changes()
      throws Exception {
    HttpResponse<String> page = get("/items/wi-SF-104");
    String cookie = cookie(page);
    String token = token(page.body());
    HttpResponse<String> crossSite =
        client.send(
            form("/items/wi-SF-104/actions/start-execution", "csrf=" + token)
                .header("Cookie", cookie)
                .header("Sec-Fetch-Site", "cross-site"));
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(crossSite.body()).contains("cross-site request refused");
    HttpResponse<String> noToken =
        client.send(
            form("/items/wi-SF-104/actions/start-execution", "csrf=")
                .header("Cookie", cookie)
                .header("Sec-Fetch-Site", "same-origin"));
    assertThat(noToken.statusCode()).isEqualTo(403);
    HttpResponse<String> otherOrigin =
        client.send(
            form("/items/wi-SF-104/actions/start-execution", "csrf=" + token)
                .header("Cookie", cookie)
                .header("Origin", "http://evil.example"));
    assertThat(otherOrigin.statusCode()).isEqualTo(403);
    assertThat(Files.readString(project.resolve("work-items/wi-SF-104.yml")))
        .contains("lane: ready");
  }

  @Test
  void a_blocked_action_posted_from_the_page_answers_422_with_the_gate_and_next_step()
      throws Exception {
    HttpResponse<String> page = get("/items/wi-SF-102");
    HttpResponse<String> posted =
        client.send(
            form("/items/wi-SF-102/actions/ship", "csrf=" + token(page.body()))
                .header("Cookie", cookie(page))
                .header("Sec-Fetch-Site", "same-origin"));
    assertThat(posted.statusCode()).isEqualTo(422);
    assertThat(posted.body()).contains("Ship is blocked (lane-transition:");
  }

  @Test
  void the_runboard_and_a_run_page_escape_parameters_and_offer_cancel_with_confirmation()
      throws Exception {
    Run run =
        queue
            .enqueue(
                NewRun.builder("pages")
                    .lane("pages")
                    .params(new ObjectMapper().createObjectNode().put("note", HOSTILE))
                    .build())
            .run();
    String board = get("/runs?lane=pages").body();
    assertThat(board).contains("href=\"/ops/runs/" + run.id() + "\"");
    String page = get("/runs/" + run.id()).body();
    assertThat(page).doesNotContain("<script>alert").contains("&lt;script&gt;");
    assertThat(page).contains("href=\"/ops/runs/" + run.id() + "/cancel\"");
    HttpResponse<String> confirm = get("/runs/" + run.id() + "/cancel");
    assertThat(confirm.body()).contains("Cancel run " + run.id() + "?");
    HttpResponse<String> cancelled =
        client.send(
            form(
                    "/runs/" + run.id() + "/cancel",
                    "csrf="
                        + token(confirm.body())
                        + "&reason="
                        + URLEncoder.encode("wrong note", StandardCharsets.UTF_8))
                .header("Cookie", cookie(confirm))
                .header("Sec-Fetch-Site", "same-origin"));
    assertThat(cancelled.statusCode()).isEqualTo(303);
    Run after = queue.find(run.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(after.cancelReason()).isEqualTo("cancelled by alice: wrong note");
  }

  @Test
  void the_runboard_has_a_column_per_lane_with_its_active_run_and_its_last_finished_run() {
    queue.enqueue(NewRun.builder("board").lane("board-lane").build());
    queue.enqueue(NewRun.builder("board").lane("board-lane").build());
    Run failed = queue.claim("w-board", List.of("board-lane"), 1).get(0);
    queue.complete(new Completion(failed.lease(), RunStatus.ERROR, "exit 1"));
    Run active = queue.claim("w-board", List.of("board-lane"), 1).get(0);

    String board = get("/runs").body();
    int column = board.indexOf("aria-label=\"lane board-lane\"");
    assertThat(column).isPositive();
    String lane = board.substring(column, board.indexOf("</section>", column));
    assertThat(lane)
        .contains("run " + active.id() + "</a> on w-board")
        .contains("href=\"/ops/runs/" + active.id() + "/cancel\"")
        .contains("Last finished: <a href=\"/ops/runs/" + failed.id() + "\">")
        .contains("action=\"/ops/runs/" + failed.id() + "/retry\"");
    queue.complete(new Completion(active.lease(), RunStatus.SUCCESS, null));
    queue.enqueue(NewRun.builder("board").lane("board-lane").build()); // keeps the lane shown
    String after = get("/runs").body();
    String again = after.substring(after.indexOf("aria-label=\"lane board-lane\""));
    assertThat(again.substring(0, again.indexOf("</section>")))
        .contains("1 queued")
        .contains("Nothing running.")
        .contains("Last finished: <a href=\"/ops/runs/" + active.id() + "\">")
        .doesNotContain("/retry");
  }

  @Test
  void unknown_pages_are_404_html_pages_in_the_frame() {
    HttpResponse<String> missing = get("/items/wi-NOPE");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("There is no work item 'wi-NOPE'.");
  }

  private HttpRequest.Builder form(String path, String body) {
    return client
        .get(path)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static String cookie(HttpResponse<String> response) {
    String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private static String token(String html) {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
    assertThat(m.find()).as("a form with a csrf field in %s", html).isTrue();
    return m.group(1);
  }
}
