package dev.tollgate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.Completion;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.RunStatus;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The run endpoints over a real PostgreSQL: keyset pages, filters, detail, events, cancel, retry.
 */
class RunsApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OPERATOR = "tgt_operator-token-for-tests";
  private static final String VIEWER = "tgt_viewer-token-for-tests";

  private static Database db;
  private static RunQueue queue;
  private static ControlPlaneServer server;
  private static Demo.Client client;

  @BeforeAll
  static void start() {
    db = TestDatabase.freshSchema("cp_runs", 4);
    queue = PostgresRunQueue.open(db.dataSource(), db.schema());
    ControlPlane plane =
        ControlPlane.builder()
            .runs(queue)
            .authenticator(
                BearerTokens.of(
                    Map.of(
                        BearerTokens.hash(OPERATOR),
                        new Identity("olga", EnumSet.of(Scope.READ, Scope.ACT)),
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

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        client.send(client.get(path).header("Authorization", "Bearer " + VIEWER));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static HttpResponse<String> post(String path, String body) {
    return client.send(client.postJson(path, body).header("Authorization", "Bearer " + OPERATOR));
  }

  @Test
  void runs_page_newest_first_by_keyset_until_the_last_page_says_no_next() throws Exception {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(queue.enqueue(NewRun.builder("paged").lane("api-pages").build()).run().id());
    }
    JsonNode first = get("/api/runs?lane=api-pages&limit=2");
    assertThat(first.get("runs"))
        .extracting(r -> r.get("id").asLong())
        .containsExactly(ids.get(4), ids.get(3));
    JsonNode second = get("/api/runs?lane=api-pages&limit=2&before=" + first.get("next").asLong());
    assertThat(second.get("runs"))
        .extracting(r -> r.get("id").asLong())
        .containsExactly(ids.get(2), ids.get(1));
    JsonNode last = get("/api/runs?lane=api-pages&limit=2&before=" + second.get("next").asLong());
    assertThat(last.get("runs")).extracting(r -> r.get("id").asLong()).containsExactly(ids.get(0));
    assertThat(last.get("next").isNull()).isTrue();
  }

  @Test
  void bad_filters_are_refused_with_what_was_expected() throws Exception {
    HttpResponse<String> status =
        client.send(
            client.get("/api/runs?status=lost").header("Authorization", "Bearer " + VIEWER));
    assertThat(status.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(status.body()).get("error").get("message").asText())
        .isEqualTo(
            "query parameter status: unknown run status 'lost'; expected queued, running, success,"
                + " error or cancelled");
    HttpResponse<String> limit =
        client.send(client.get("/api/runs?limit=5000").header("Authorization", "Bearer " + VIEWER));
    assertThat(limit.statusCode()).isEqualTo(400);
    HttpResponse<String> since =
        client.send(
            client.get("/api/runs?since=yesterday").header("Authorization", "Bearer " + VIEWER));
    assertThat(JSON.readTree(since.body()).get("error").get("message").asText())
        .contains("expected an ISO-8601 instant");
  }

  @Test
  void a_run_shows_its_steps_artifacts_and_events_after_a_sequence_number() throws Exception {
    Run run = queue.enqueue(NewRun.builder("detail").lane("api-detail").build()).run();
    JsonNode detail = get("/api/runs/" + run.id());
    assertThat(detail.get("status").asText()).isEqualTo("queued");
    assertThat(detail.get("steps").isArray()).isTrue();
    assertThat(detail.get("artifacts").isArray()).isTrue();
    JsonNode events = get("/api/runs/" + run.id() + "/events");
    assertThat(events.get("events"))
        .extracting(e -> e.get("kind").asText())
        .containsExactly("enqueued");
    JsonNode none = get("/api/runs/" + run.id() + "/events?after=" + events.get("next").asInt());
    assertThat(none.get("events")).isEmpty();
    HttpResponse<String> missing =
        client.send(client.get("/api/runs/999999999").header("Authorization", "Bearer " + VIEWER));
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  @Test
  void cancel_records_the_caller_and_retry_enqueues_a_linked_run() throws Exception {
    Run run = queue.enqueue(NewRun.builder("cancel-me").lane("api-cancel").build()).run();
    HttpResponse<String> cancelled =
        post("/api/runs/" + run.id() + "/cancel", "{\"reason\":\"wrong params\"}");
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(cancelled.body());
    assertThat(body.get("result").asText()).isEqualTo("cancelled");
    assertThat(body.get("reason").asText()).isEqualTo("cancelled by olga: wrong params");
    assertThat(queue.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);

    HttpResponse<String> retried = post("/api/runs/" + run.id() + "/retry", "");
    assertThat(retried.statusCode()).as(retried.body()).isEqualTo(201);
    assertThat(JSON.readTree(retried.body()).get("retryOf").asLong()).isEqualTo(run.id());

    HttpResponse<String> viewer =
        client.send(
            client
                .postJson("/api/runs/" + run.id() + "/cancel", "{}")
                .header("Authorization", "Bearer " + VIEWER));
    assertThat(viewer.statusCode()).isEqualTo(403);
  }

  @Test
  void lanes_mark_a_running_run_stale_when_its_heartbeat_is_older_than_the_threshold()
      throws Exception {
    Run run = queue.enqueue(NewRun.builder("beat").lane("api-beat").build()).run();
    Run claimed = queue.claim("w-api", List.of("api-beat"), 1).get(0);
    JsonNode fresh = get("/api/runs/lanes");
    JsonNode mine = find(fresh.get("running"), claimed.id());
    assertThat(mine.get("stale").asBoolean()).isFalse();
    TestDatabase.execute(
        db.dataSource(),
        "UPDATE "
            + db.schema()
            + ".runs SET heartbeat_at = now() - interval '5 minutes' WHERE id = "
            + run.id());
    JsonNode stale = find(get("/api/runs/lanes").get("running"), claimed.id());
    assertThat(stale.get("stale").asBoolean()).isTrue();
    queue.complete(new Completion(claimed.lease(), RunStatus.SUCCESS, null));
  }

  /** Collects the lines of one Server-Sent Events stream as they arrive. */
  private static java.util.concurrent.BlockingQueue<String> stream(String path, String lastEventId)
      throws Exception {
    java.util.concurrent.BlockingQueue<String> lines =
        new java.util.concurrent.LinkedBlockingQueue<>();
    java.net.http.HttpRequest.Builder b =
        client.get(path).header("Authorization", "Bearer " + VIEWER);
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<java.util.stream.Stream<String>> r =
        java.net.http.HttpClient.newHttpClient()
            .sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines())
            .get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    Thread reader = new Thread(() -> r.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  /** Waits for a data line of an event whose JSON contains {@code text}. */
  private static String await(java.util.concurrent.BlockingQueue<String> lines, String text)
      throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
      if (line != null && line.startsWith("data: ") && line.contains(text)) {
        return line;
      }
    }
    throw new AssertionError("no event with " + text + " within 10 s");
  }

  @Test
  void live_log_streams_new_lines_to_every_viewer_and_resumes_after_the_last_event_id()
      throws Exception {
    Run run = queue.enqueue(NewRun.builder("live").lane("api-live").build()).run();
    Run claimed = queue.claim("w-live", List.of("api-live"), 1).get(0);
    var first = stream("/api/runs/" + run.id() + "/stream", null);
    var second = stream("/api/runs/" + run.id() + "/stream", null);
    assertThat(await(first, "\"kind\":\"enqueued\"")).isNotNull();
    queue.appendEvents(
        claimed.lease(),
        List.of(dev.tollgate.core.runs.NewEvent.output("stdout", "hello <b>operator</b>")));
    String line = await(first, "hello");
    assertThat(line).contains("hello <b>operator</b>");
    assertThat(await(second, "hello")).isEqualTo(line);
    int seq = JSON.readTree(line.substring(6)).get("seq").asInt();

    var resumed = stream("/api/runs/" + run.id() + "/stream", String.valueOf(seq));
    queue.appendEvents(
        claimed.lease(), List.of(dev.tollgate.core.runs.NewEvent.output("stderr", "after resume")));
    String next = await(resumed, "after resume");
    assertThat(JSON.readTree(next.substring(6)).get("seq").asInt()).isEqualTo(seq + 1);

    queue.complete(new Completion(claimed.lease(), RunStatus.SUCCESS, null));
    assertThat(await(first, "\"status\":\"success\"")).isNotNull();
  }

  @Test
  void a_viewer_who_connects_after_the_status_changed_is_told_the_status_at_once()
      throws Exception {
    Run run = queue.enqueue(NewRun.builder("late").lane("api-late").build()).run();
    Run claimed = queue.claim("w-late", List.of("api-late"), 1).get(0);
    var early = stream("/api/runs/" + run.id() + "/stream", null);
    assertThat(await(early, "\"status\":\"running\"")).isNotNull();
    queue.complete(new Completion(claimed.lease(), RunStatus.CANCELLED, "cancel requested"));
    assertThat(await(early, "\"status\":\"cancelled\"")).isNotNull();

    // Its page showed "running"; the run's status will not change again to tell it otherwise.
    var late = stream("/api/runs/" + run.id() + "/stream", null);
    assertThat(await(late, "\"status\":\"cancelled\"")).isNotNull();
  }

  private static JsonNode find(JsonNode running, long id) {
    for (JsonNode r : running) {
      if (r.get("id").asLong() == id) {
        return r;
      }
    }
    throw new AssertionError("run " + id + " not among running: " + running);
  }
}
