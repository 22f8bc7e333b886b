package dev.tollgate.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.runs.CancelResult;
import dev.tollgate.core.runs.QueueStats;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunEvent;
import dev.tollgate.core.runs.RunFilter;
import dev.tollgate.core.runs.RunJson;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.RunStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The run endpoints: lanes with depth and running runs, a filtered list paged by keyset, one run
 * with its steps and artifacts, its events, cancel and retry. No call counts or loads the whole
 * table: lists read one page through an index, newest first.
 */
final class RunsApi {
  static final int MAX_PAGE = 200;

  /** The longest cancel reason a caller may give. */
  static final int MAX_REASON = 500;

  private final ControlPlane plane;

  RunsApi(ControlPlane plane) {
    this.plane = plane;
  }

  private RunQueue queue() {
    return plane
        .runs()
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "this control plane serves no runs (the host gave no run queue)"));
  }

  /**
   * {@code GET /api/runs?status=&lane=&template=&since=&until=&q=&before=&limit=}: newest first;
   * {@code next} is the {@code before} of the following page, {@code null} on the last one.
   */
  void list(Exchange x) throws IOException {
    RunStatus status = null;
    Optional<String> s = x.query("status");
    if (s.isPresent()) {
      try {
        status = RunStatus.fromWire(s.get().toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("query parameter status: " + e.getMessage(), null);
      }
    }
    int limit = x.intQuery("limit", 50, MAX_PAGE);
    Long before = null;
    if (x.query("before").isPresent()) {
      before = (long) x.intQuery("before", 1, Integer.MAX_VALUE);
    }
    Instant since = x.instantQuery("since").orElse(null);
    Instant until = x.instantQuery("until").orElse(null);
    RunFilter filter =
        new RunFilter(
            status,
            x.query("lane").orElse(null),
            x.query("template").orElse(null),
            since,
            x.query("q").orElse(null),
            limit + 1,
            until,
            before);
    List<Run> page = queue().list(filter);
    boolean more = page.size() > limit;
    List<Run> shown = more ? page.subList(0, limit) : page;
    ObjectNode body = Exchange.JSON.createObjectNode();
    body.set("runs", RunJson.runs(shown));
    if (more) {
      body.put("next", shown.get(shown.size() - 1).id());
    } else {
      body.putNull("next");
    }
    x.ok(body);
  }

  /**
   * {@code GET /api/runs/lanes}: the queue's figures, each running run marked {@code stale} when
   * its heartbeat is older than the control plane's threshold.
   */
  void lanes(Exchange x) throws IOException {
    QueueStats stats = queue().stats();
    ObjectNode body = RunJson.stats(stats);
    ArrayNode running = (ArrayNode) body.get("running");
    for (int i = 0; i < stats.running().size(); i++) {
      ((ObjectNode) running.get(i)).put("stale", plane.stale(stats.running().get(i)));
    }
    body.put("heartbeatStaleAfterSeconds", plane.heartbeatStaleAfter().toSeconds());
    x.ok(body);
  }

  /** {@code GET /api/runs/{id}}: the run, its steps and its artifacts. */
  void detail(Exchange x) throws IOException {
    RunQueue queue = queue();
    Run run = find(queue, x.idPath("id"));
    ObjectNode body = RunJson.run(run);
    RunJson.putSteps(body, queue.steps(run.id()));
    ArrayNode artifacts = body.putArray("artifacts");
    queue.artifacts(run.id()).forEach(a -> artifacts.add(RunJson.artifact(a)));
    x.ok(body);
  }

  /**
   * {@code GET /api/runs/{id}/events?after=&limit=}: events after sequence number {@code after},
   * oldest first; {@code next} is the {@code after} of the following call.
   */
  void events(Exchange x) throws IOException {
    RunQueue queue = queue();
    Run run = find(queue, x.idPath("id"));
    int after = x.query("after").isPresent() ? x.intQuery("after", 1, Integer.MAX_VALUE) : 0;
    int limit = x.intQuery("limit", 500, 5000);
    List<RunEvent> events = queue.events(run.id(), after, limit);
    ObjectNode body = Exchange.JSON.createObjectNode();
    body.put("run", run.id());
    body.put("status", run.status().wireName());
    ArrayNode a = body.putArray("events");
    events.forEach(e -> a.add(RunJson.event(e)));
    body.put("next", events.isEmpty() ? after : events.get(events.size() - 1).seq());
    x.ok(body);
  }

  /**
   * {@code GET /api/runs/{id}/stream}: the run's events as Server-Sent Events ({@code event: log},
   * {@code id} = sequence number), resuming after {@code Last-Event-ID} (or {@code ?after=}), then
   * {@code event: status} when its status changes.
   */
  void stream(Exchange x, LiveLog live) throws IOException {
    RunQueue queue = queue();
    Run run = find(queue, x.idPath("id"));
    int after = 0;
    String last = x.request().getHeader("Last-Event-ID");
    if (last != null && !last.isBlank()) {
      try {
        after = Math.max(0, Integer.parseInt(last.strip()));
      } catch (NumberFormatException e) {
        throw ApiException.badRequest(
            "Last-Event-ID: expected the sequence number of an event but found '" + last + "'",
            null);
      }
    } else if (x.query("after").isPresent()) {
      after = x.intQuery("after", 1, Integer.MAX_VALUE);
    }
    jakarta.servlet.AsyncContext context = x.eventStream();
    live.subscribe(run.id(), after, run.status().wireName(), context);
  }

  /** {@code POST /api/runs/{id}/cancel} with an optional {@code {"reason": "…"}}. */
  void cancel(Exchange x) throws IOException {
    JsonNode reasonNode = x.body().get("reason");
    if (reasonNode != null && !reasonNode.isTextual() && !reasonNode.isNull()) {
      throw ApiException.badRequest(
          "reason: expected a string but found " + reasonNode.getNodeType(), null);
    }
    String given = reasonNode == null || reasonNode.isNull() ? "" : reasonNode.asText().strip();
    if (given.length() > MAX_REASON) {
      throw ApiException.badRequest("reason: expected at most 500 characters", null);
    }
    long id = x.idPath("id");
    String reason = cancelReason(x.identity().name(), given);
    CancelResult result = queue().cancel(id, reason);
    if (result == CancelResult.NOT_FOUND) {
      throw ApiException.notFound("no run " + id);
    }
    ObjectNode body = Exchange.JSON.createObjectNode();
    body.put("run", id);
    body.put("result", result.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    body.put("reason", reason);
    x.ok(body);
  }

  /** {@code GET /api/runs/{id}/artifact?name=}: one artifact's content. */
  void artifact(Exchange x) throws IOException {
    RunQueue queue = queue();
    Run run = find(queue, x.idPath("id"));
    String name =
        x.query("name")
            .orElseThrow(
                () -> ApiException.badRequest("query parameter name: the artifact's name", null));
    Artifacts.send(x.response(), queue, run.id(), name);
  }

  /** {@code GET /api/runs/{id}/manifest}: {@code <sha256> <name>} per artifact. */
  void manifest(Exchange x) throws IOException {
    RunQueue queue = queue();
    Artifacts.manifest(x.response(), queue, find(queue, x.idPath("id")).id());
  }

  /** The cancel reason recorded for a cancel by {@code actor}, with the reason given if any. */
  static String cancelReason(String actor, String given) {
    return "cancelled by " + actor + (given.isEmpty() ? "" : ": " + given);
  }

  /** {@code POST /api/runs/{id}/retry}: enqueues a failed or cancelled run again. */
  void retry(Exchange x) throws IOException {
    x.body();
    RunQueue queue = queue();
    Run original = find(queue, x.idPath("id"));
    Run retry = queue.retry(original.id());
    x.reply(201, RunJson.run(retry));
  }

  private static Run find(RunQueue queue, long id) {
    return queue.find(id).orElseThrow(() -> ApiException.notFound("no run " + id));
  }
}
