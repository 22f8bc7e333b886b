package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The JSON shapes of runs, their events, steps and artifacts and of the queue's figures: one
 * definition for the CLI's {@code --format json}, the control plane's API and embedders.
 *
 * <p>Parameters appear as stored: secret ({@code writeOnly}) values are already {@code ***}. Absent
 * optional values are left out rather than {@code null}, as the CLI has always printed them.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class RunJson {
  private RunJson() {}

  private static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** One run: its state, attempts, parameters, times, worker and outcome. */
  public static ObjectNode run(Run run) {
    ObjectNode o = object();
    o.put("id", run.id());
    o.put("status", run.status().wireName());
    o.put("template", run.template());
    o.put("lane", run.lane());
    o.put("priority", run.priority());
    o.put("attempt", run.attempt());
    o.put("chargedAttempts", run.chargedAttempts());
    o.put("maxAttempts", run.maxAttempts());
    o.set("params", run.params());
    put(o, "templateHash", run.templateHash());
    put(o, "createdAt", run.createdAt());
    put(o, "availableAt", run.availableAt());
    put(o, "startedAt", run.startedAt());
    put(o, "finishedAt", run.finishedAt());
    put(o, "heartbeatAt", run.heartbeatAt());
    put(o, "workerId", run.workerId());
    o.put("cancelRequested", run.cancelRequested());
    put(o, "cancelReason", run.cancelReason());
    put(o, "idempotencyKey", run.idempotencyKey());
    if (run.retryOf() != null) {
      o.put("retryOf", run.retryOf());
    }
    put(o, "message", run.message());
    return o;
  }

  /** Runs in the given order. */
  public static ArrayNode runs(List<Run> runs) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    runs.forEach(r -> array.add(run(r)));
    return array;
  }

  /** One event of a run's log: sequence number, attempt, time, kind, stream, message, data. */
  public static ObjectNode event(RunEvent e) {
    ObjectNode o = object();
    o.put("seq", e.seq());
    o.put("attempt", e.attempt());
    put(o, "at", e.at());
    o.put("kind", e.kind());
    put(o, "stream", e.stream());
    put(o, "message", e.message());
    if (e.data() != null) {
      o.set("data", e.data());
    }
    return o;
  }

  /** One stored artifact: name, size, SHA-256, attempt and time. */
  public static ObjectNode artifact(Artifact a) {
    ObjectNode o = object();
    o.put("name", a.name());
    o.put("size", a.size());
    o.put("sha256", a.sha256());
    o.put("attempt", a.attempt());
    put(o, "createdAt", a.createdAt());
    return o;
  }

  /** The queue's figures: depth per lane, running runs with heartbeat age, recoveries. */
  public static ObjectNode stats(QueueStats s) {
    ObjectNode o = object();
    ArrayNode lanes = o.putArray("lanes");
    for (QueueStats.LaneDepth l : s.lanes()) {
      lanes
          .addObject()
          .put("lane", l.lane())
          .put("queued", l.queued())
          .put("runnable", l.runnable())
          .put("oldestAgeSeconds", l.oldestAge().toMillis() / 1000.0);
    }
    ArrayNode running = o.putArray("running");
    for (QueueStats.RunningRun r : s.running()) {
      running
          .addObject()
          .put("id", r.runId())
          .put("lane", r.lane())
          .put("workerId", r.workerId())
          .put("heartbeatAgeSeconds", r.heartbeatAge().toMillis() / 1000.0);
    }
    ArrayNode stuck = o.putArray("stuckPerHour");
    for (QueueStats.HourCount h : s.stuckPerHour()) {
      stuck.addObject().put("hour", h.hour().toString()).put("count", h.count());
    }
    o.put("recoveries24h", s.recoveries());
    o.put("recoveredOk24h", s.recoveredOk());
    if (!Double.isNaN(s.recoverySuccessRate())) {
      o.put("recoverySuccessRate", s.recoverySuccessRate());
    }
    if (s.meanTimeToRecovery() != null) {
      o.put("meanTimeToRecoverySeconds", s.meanTimeToRecovery().toMillis() / 1000.0);
    }
    return o;
  }

  /** Adds {@code steps} and {@code stepStarts} (how many times each step started) to {@code o}. */
  public static void putSteps(ObjectNode o, List<RunStep> steps) {
    ArrayNode array = o.putArray("steps");
    for (RunStep step : steps) {
      ObjectNode s = array.addObject();
      s.put("attempt", step.attempt());
      s.put("index", step.index());
      s.put("name", step.name());
      s.put("status", step.status());
      put(s, "startedAt", step.startedAt());
      put(s, "finishedAt", step.finishedAt());
    }
    ObjectNode starts = o.putObject("stepStarts");
    Map<String, Integer> counts = new LinkedHashMap<>();
    steps.forEach(step -> counts.merge(step.name(), 1, Integer::sum));
    counts.forEach(starts::put);
  }

  private static void put(ObjectNode o, String key, String value) {
    if (value != null) {
      o.put(key, value);
    }
  }

  private static void put(ObjectNode o, String key, Instant value) {
    if (value != null) {
      o.put(key, value.toString());
    }
  }
}
