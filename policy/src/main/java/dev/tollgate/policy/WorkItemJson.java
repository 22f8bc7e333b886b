package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.core.workitem.Backlog;
import dev.tollgate.core.workitem.Blocker;
import dev.tollgate.core.workitem.FieldChange;
import dev.tollgate.core.workitem.Freshness;
import dev.tollgate.core.workitem.HistoryEntry;
import dev.tollgate.core.workitem.WorkItem;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apiguardian.api.API;

/**
 * The JSON shapes of work items, their detail, their actions and writes: one definition for the
 * CLI's {@code --format json}, the control plane's API and embedders.
 *
 * <p>Every object always has the same keys; a value that is absent is {@code null} rather than a
 * missing key, so consumers can bind to one type. Keys are in a fixed order.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class WorkItemJson {
  private WorkItemJson() {}

  private static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  private static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  private static void put(ObjectNode node, String key, Optional<String> value) {
    if (value.isPresent()) {
      node.put(key, value.get());
    } else {
      node.putNull(key);
    }
  }

  private static void put(ObjectNode node, String key, OptionalInt value) {
    if (value.isPresent()) {
      node.put(key, value.getAsInt());
    } else {
      node.putNull(key);
    }
  }

  /**
   * One item as listed: {@code id, title, epic, lane, state, status, priority, owner, due,
   * workType, branch, pr, doneCriteriaCount, blocked, blockers}.
   */
  public static ObjectNode summary(WorkItem item, Backlog backlog) {
    ObjectNode o = object();
    o.put("id", item.id());
    o.put("title", item.title());
    put(o, "epic", item.epic());
    o.put("lane", item.lane());
    put(o, "state", item.state());
    o.put("status", item.status().label());
    put(o, "priority", item.priority());
    put(o, "owner", item.owner());
    put(o, "due", item.due().map(Object::toString));
    put(o, "workType", item.workType());
    put(o, "branch", item.branch());
    put(o, "pr", item.pr());
    o.put("doneCriteriaCount", item.doneCriteriaCount());
    List<Blocker> blockers = backlog.blockers(item);
    o.put("blocked", blockers.stream().anyMatch(Blocker::blocking));
    o.set("blockers", blockers(blockers));
    return o;
  }

  /** The blockers of an item, in the order its file lists them. */
  public static ArrayNode blockers(List<Blocker> blockers) {
    ArrayNode a = array();
    for (Blocker b : blockers) {
      a.add(blocker(b));
    }
    return a;
  }

  /**
   * One epic, {@code {id, title, total, done, inProgress, open, deferred, percent, complete,
   * openBlockers}}, each open blocker a {@link #blocker} with the held {@code item}.
   */
  public static ObjectNode epic(EpicStatus status) {
    ObjectNode o = object();
    o.put("id", status.epic().id());
    o.put("title", status.epic().title());
    o.put("total", status.progress().total());
    o.put("done", status.progress().done());
    o.put("inProgress", status.progress().inProgress());
    o.put("open", status.progress().open());
    o.put("deferred", status.progress().deferred());
    o.put("percent", status.progress().percentDone());
    o.put("complete", status.progress().complete());
    ArrayNode blockers = o.putArray("openBlockers");
    for (EpicStatus.OpenBlocker b : status.openBlockers()) {
      blockers.add(blocker(b.blocker()).put("item", b.item()));
    }
    return o;
  }

  /**
   * One blocker, {@code {kind, ref, status, lane, blocking, description}}: another item ({@code
   * kind: item}) or free text ({@code kind: text}).
   */
  public static ObjectNode blocker(Blocker b) {
    ObjectNode o = object();
    if (b instanceof Blocker.OnItem i) {
      o.put("kind", "item");
      o.put("ref", i.id());
      o.put("status", i.status().label());
      o.put("lane", i.lane());
    } else {
      o.put("kind", "text");
      o.put("ref", ((Blocker.FreeText) b).text());
      o.putNull("status");
      o.putNull("lane");
    }
    o.put("blocking", b.blocking());
    o.put("description", b.describe());
    return o;
  }

  /**
   * One action as offered: {@code identity, title, permission, transition, enabled, gates,
   * recovery}, where recovery is the guidance of its first failing gate.
   */
  public static ObjectNode action(ActionView view) {
    ObjectNode o = object();
    o.put("identity", view.identity());
    o.put("title", view.title());
    put(o, "permission", view.permission());
    put(o, "transition", view.transition());
    o.put("enabled", view.enabled());
    o.set("gates", gates(view.gates()));
    o.set("recovery", recovery(view.recovery()));
    return o;
  }

  /** The results of gates, in evaluation order: {@code {gate, status, reason, recovery}}. */
  public static ArrayNode gates(List<GateResult> results) {
    ArrayNode a = array();
    for (GateResult r : results) {
      ObjectNode g = object();
      g.put("gate", r.gate());
      g.put("status", r.status().label());
      g.put("reason", r.reason());
      g.set("recovery", recovery(r.recovery()));
      a.add(g);
    }
    return a;
  }

  /**
   * Recovery guidance, {@code {cause, policyContext, nextStep, safeRetry}}, or JSON {@code null}
   * when there is none.
   */
  public static JsonNode recovery(Optional<Recovery> recovery) {
    if (recovery.isEmpty()) {
      return JsonNodeFactory.instance.nullNode();
    }
    Recovery r = recovery.get();
    ObjectNode o = object();
    o.put("cause", r.cause());
    o.put("policyContext", r.policyContext());
    o.put("nextStep", r.nextStep());
    o.put("safeRetry", r.safeRetry());
    return o;
  }

  /** One history entry: {@code {at, actor, action, from, to, note}}. */
  public static ObjectNode history(HistoryEntry h) {
    ObjectNode o = object();
    o.put("at", h.at().toString());
    o.put("actor", h.actor());
    o.put("action", h.action());
    put(o, "from", h.from());
    put(o, "to", h.to());
    put(o, "note", h.note());
    return o;
  }

  /** One changed field: {@code {field, from, to}}. */
  public static ObjectNode change(FieldChange change) {
    ObjectNode n = object();
    n.put("field", change.field());
    put(n, "from", change.from());
    put(n, "to", change.to());
    return n;
  }

  /**
   * How fresh an item's data is: {@code {snapshotAt, observedAt, ageSeconds, age, verdict,
   * staleAfterSeconds, basis, commit, reason}}.
   */
  public static ObjectNode freshness(Freshness f) {
    ObjectNode fresh = object();
    fresh.put("snapshotAt", f.snapshotAt().toString());
    fresh.put("observedAt", f.observedAt().toString());
    fresh.put("ageSeconds", f.age().getSeconds());
    fresh.put("age", f.ageText());
    fresh.put("verdict", f.verdict().label());
    fresh.put("staleAfterSeconds", f.staleAfter().getSeconds());
    fresh.put("basis", f.snapshot().basis().label());
    put(fresh, "commit", f.snapshot().commit());
    fresh.put("reason", f.reason());
    return fresh;
  }

  /**
   * The detail of one item, the payload of {@code tollgate items show --format json}: {@code id,
   * title, description, epic {id, title}, priority, owner, due, file, execution {id, branch,
   * validation, pr}, lifecycle {lane, laneTitle, workType, source, status, state,
   * doneCriteriaCount, doneCriteria}, blocked, blockers, queueTruth {freshness, inSync, drift},
   * prompt {path, insideProject, exists, readable, sizeBytes, firstHeading}, actor, actions,
   * history}.
   */
  public static ObjectNode detail(ItemDetail detail) {
    WorkItem item = detail.item();
    ObjectNode o = object();
    o.put("id", item.id());
    o.put("title", item.title());
    put(o, "description", item.description());
    if (detail.epic().isPresent()) {
      ObjectNode e = o.putObject("epic");
      e.put("id", detail.epic().get().id());
      e.put("title", detail.epic().get().title());
    } else {
      o.putNull("epic");
    }
    put(o, "priority", item.priority());
    put(o, "owner", item.owner());
    put(o, "due", item.due().map(Object::toString));
    o.put("file", detail.file());

    ObjectNode execution = o.putObject("execution");
    execution.put("id", item.id());
    put(execution, "branch", item.branch());
    put(execution, "validation", item.validation());
    put(execution, "pr", item.pr());

    ObjectNode lifecycle = o.putObject("lifecycle");
    lifecycle.put("lane", item.lane());
    lifecycle.put("laneTitle", detail.laneTitle());
    put(lifecycle, "workType", item.workType());
    put(lifecycle, "source", item.source());
    lifecycle.put("status", item.status().label());
    put(lifecycle, "state", item.state());
    lifecycle.put("doneCriteriaCount", item.doneCriteriaCount());
    ArrayNode criteria = lifecycle.putArray("doneCriteria");
    item.doneCriteria().forEach(criteria::add);

    o.put("blocked", detail.blocked());
    o.set("blockers", blockers(detail.blockers()));

    ItemDetail.QueueTruth queueTruth = detail.queueTruth();
    ObjectNode truth = o.putObject("queueTruth");
    if (queueTruth.freshness().isPresent()) {
      truth.set("freshness", freshness(queueTruth.freshness().get()));
    } else {
      truth.putNull("freshness");
    }
    truth.put("inSync", queueTruth.inSync());
    ArrayNode drift = truth.putArray("drift");
    for (ItemDetail.Drift d : queueTruth.drift()) {
      ObjectNode n = drift.addObject();
      n.put("signal", d.signal());
      n.put("detail", d.detail());
      n.put("guidance", d.guidance());
    }

    ItemDetail.PromptContext p = detail.prompt();
    ObjectNode prompt = o.putObject("prompt");
    prompt.put("path", p.path());
    prompt.put("insideProject", p.insideProject());
    prompt.put("exists", p.exists());
    prompt.put("readable", p.readable());
    if (p.size().isPresent()) {
      prompt.put("sizeBytes", p.size().get());
    } else {
      prompt.putNull("sizeBytes");
    }
    put(prompt, "firstHeading", p.firstHeading());

    put(o, "actor", detail.actor());
    ArrayNode a = o.putArray("actions");
    detail.actions().forEach(v -> a.add(action(v)));
    ArrayNode history = o.putArray("history");
    item.history().forEach(h -> history.add(history(h)));
    return o;
  }

  /**
   * What a create or update did, the payload of {@code tollgate items create|set --format json}:
   * {@code {item, action, actor, written, file, changes, history}}, where {@code history} is the
   * entry appended, {@code null} when nothing changed.
   */
  public static ObjectNode write(WorkItemWrite write) {
    ObjectNode o = object();
    o.put("item", write.item().id());
    o.put("action", write.kind().label());
    o.put("actor", write.actor());
    o.put("written", write.written());
    o.put("file", write.file());
    ArrayNode c = o.putArray("changes");
    write.changes().forEach(ch -> c.add(change(ch)));
    o.set(
        "history",
        write.entry().isPresent()
            ? history(write.entry().get())
            : JsonNodeFactory.instance.nullNode());
    return o;
  }
}
