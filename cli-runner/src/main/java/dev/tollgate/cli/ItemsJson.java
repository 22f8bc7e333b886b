package dev.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.actions.report.JsonText;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.core.workitem.Backlog;
import dev.tollgate.core.workitem.Blocker;
import dev.tollgate.core.workitem.HistoryEntry;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.policy.ActionView;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The JSON shapes of the work-item commands. Every object always has the same keys; a value that is
 * absent is {@code null} rather than a missing key, so consumers can bind to one type.
 */
final class ItemsJson {
  private ItemsJson() {}

  /** A new empty object. */
  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** A new empty array. */
  static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** {@code node} as indented JSON ending with a newline. */
  static String write(JsonNode node) {
    return JsonText.pretty(node);
  }

  /** Sets {@code key} to the value or {@code null}. */
  static void put(ObjectNode node, String key, Optional<String> value) {
    if (value.isPresent()) {
      node.put(key, value.get());
    } else {
      node.putNull(key);
    }
  }

  /** Sets {@code key} to the value or {@code null}. */
  static void put(ObjectNode node, String key, OptionalInt value) {
    if (value.isPresent()) {
      node.put(key, value.getAsInt());
    } else {
      node.putNull(key);
    }
  }

  /** One row of {@code items list}: what an item is and where it stands. */
  static ObjectNode summary(WorkItem item, Backlog backlog) {
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
  static ArrayNode blockers(List<Blocker> blockers) {
    ArrayNode a = array();
    for (Blocker b : blockers) {
      a.add(blocker(b));
    }
    return a;
  }

  /** One blocker: another item ({@code kind: item}) or free text ({@code kind: text}). */
  static ObjectNode blocker(Blocker b) {
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
   * One action as offered: identity, title, permission, transition, whether it is enabled, each
   * gate's result and, for a disabled action, the guidance of its first failing gate.
   */
  static ObjectNode action(ActionView view) {
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

  /** The results of gates, in evaluation order. */
  static ArrayNode gates(List<GateResult> results) {
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

  /** Recovery guidance, or JSON {@code null} when there is none. */
  static JsonNode recovery(Optional<Recovery> recovery) {
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

  /** One history entry. */
  static ObjectNode history(HistoryEntry h) {
    ObjectNode o = object();
    o.put("at", h.at().toString());
    o.put("actor", h.actor());
    o.put("action", h.action());
    put(o, "from", h.from());
    put(o, "to", h.to());
    put(o, "note", h.note());
    return o;
  }
}
