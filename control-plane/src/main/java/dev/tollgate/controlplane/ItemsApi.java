package dev.tollgate.controlplane;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.GateStatus;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.core.workitem.Backlog;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.core.workitem.WorkItemStatus;
import dev.tollgate.policy.ActionOutcome;
import dev.tollgate.policy.ActionView;
import dev.tollgate.policy.Lane;
import dev.tollgate.policy.PolicyEngine;
import dev.tollgate.policy.WorkItemJson;
import dev.tollgate.policy.WorkItemService;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The work-item endpoints: board, list with filters, detail, actions and performing one. */
final class ItemsApi {
  private final ControlPlane plane;

  ItemsApi(ControlPlane plane) {
    this.plane = plane;
  }

  private WorkItemService service() {
    return plane
        .workItems()
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "this control plane serves no work items (the host gave no work-item service)"));
  }

  /** {@code GET /api/control-plane/board}: every lane in policy order, its WIP and its items. */
  void board(Exchange x) throws IOException {
    PolicyEngine engine = service().engine();
    Backlog backlog = engine.store().backlog();
    ObjectNode body = Exchange.JSON.createObjectNode();
    ArrayNode lanes = body.putArray("lanes");
    for (String id : engine.policy().laneIds()) {
      Lane lane = engine.policy().lane(id).orElseThrow();
      List<WorkItem> items = backlog.inLane(id);
      ObjectNode l = lanes.addObject();
      l.put("id", lane.id());
      l.put("title", lane.title());
      if (lane.wipLimit().isPresent()) {
        l.put("wipLimit", lane.wipLimit().getAsInt());
      } else {
        l.putNull("wipLimit");
      }
      l.put("terminal", lane.terminal());
      l.put("count", items.size());
      l.put(
          "overWipLimit", lane.wipLimit().isPresent() && items.size() > lane.wipLimit().getAsInt());
      ArrayNode a = l.putArray("items");
      items.forEach(item -> a.add(WorkItemJson.summary(item, backlog)));
    }
    x.ok(body);
  }

  /**
   * {@code GET /api/control-plane/items?epic=&status=&priority=&owner=&lane=&q=}: items in rank
   * order matching every filter given.
   */
  void list(Exchange x) throws IOException {
    PolicyEngine engine = service().engine();
    Backlog backlog = engine.store().backlog();
    Predicate<WorkItem> filter = item -> true;
    Optional<String> epic = x.query("epic");
    if (epic.isPresent()) {
      filter = filter.and(i -> i.epic().equals(epic));
    }
    Optional<String> lane = x.query("lane");
    if (lane.isPresent()) {
      if (engine.policy().lane(lane.get()).isEmpty()) {
        throw ApiException.badRequest(
            "query parameter lane: expected one of "
                + String.join(", ", engine.policy().laneIds())
                + " but found '"
                + lane.get()
                + "'",
            null);
      }
      filter = filter.and(i -> i.lane().equals(lane.get()));
    }
    Optional<String> status = x.query("status");
    if (status.isPresent()) {
      WorkItemStatus s =
          WorkItemStatus.parse(status.get())
              .orElseThrow(
                  () ->
                      ApiException.badRequest(
                          "query parameter status: expected a work-item status such as open or"
                              + " in-progress but found '"
                              + status.get()
                              + "'",
                          null));
      filter = filter.and(i -> i.status() == s);
    }
    Optional<String> owner = x.query("owner");
    if (owner.isPresent()) {
      filter = filter.and(i -> i.owner().equals(owner));
    }
    if (x.query("priority").isPresent()) {
      int priority = x.intQuery("priority", 1, Integer.MAX_VALUE);
      filter = filter.and(i -> i.priority().isPresent() && i.priority().getAsInt() == priority);
    }
    Optional<String> text = x.query("q").map(q -> q.toLowerCase(java.util.Locale.ROOT));
    if (text.isPresent()) {
      filter =
          filter.and(
              i ->
                  (i.id() + " " + i.title())
                      .toLowerCase(java.util.Locale.ROOT)
                      .contains(text.get()));
    }
    ObjectNode body = Exchange.JSON.createObjectNode();
    ArrayNode items = body.putArray("items");
    backlog.ranked().stream()
        .filter(filter)
        .forEach(item -> items.add(WorkItemJson.summary(item, backlog)));
    x.ok(body);
  }

  /** {@code GET /api/control-plane/items/{id}}: the payload {@code tollgate items show} prints. */
  void detail(Exchange x) throws IOException {
    WorkItemService service = service();
    String id = known(service, x.path("id"));
    x.ok(WorkItemJson.detail(service.detail(id, x.identity().name())));
  }

  /** {@code GET /api/control-plane/items/{id}/actions}: each action for the caller, with gates. */
  void actions(Exchange x) throws IOException {
    WorkItemService service = service();
    String id = known(service, x.path("id"));
    ObjectNode body = Exchange.JSON.createObjectNode();
    body.put("item", id);
    body.put("actor", x.identity().name());
    ArrayNode actions = body.putArray("actions");
    for (ActionView view : service.engine().actions(id, x.identity().name())) {
      actions.add(WorkItemJson.action(view));
    }
    x.ok(body);
  }

  /**
   * {@code POST /api/control-plane/items/{id}/actions/{action}}: performs the action as the caller
   * when every gate passes (200), or answers 422 with the blocking gate and its recovery.
   */
  void perform(Exchange x) throws IOException {
    x.body()
        .fieldNames()
        .forEachRemaining(
            field -> {
              throw ApiException.badRequest(
                  "unexpected field '"
                      + field
                      + "' in the request body"
                      + (field.equals("actor") ? ": the actor is the authenticated caller" : ""),
                  "send an empty JSON object");
            });
    WorkItemService service = service();
    PolicyEngine engine = service.engine();
    String id = known(service, x.path("id"));
    String action = x.path("action");
    if (engine.policy().action(action).isEmpty()) {
      throw ApiException.notFound(
          "work item "
              + id
              + " has no action '"
              + action
              + "'; the policy declares: "
              + String.join(
                  ", ",
                  engine.policy().actions().stream()
                      .map(dev.tollgate.policy.ActionDefinition::id)
                      .toList()));
    }
    ActionOutcome outcome = engine.perform(id, action, x.identity().name(), plane.clock());
    if (outcome instanceof ActionOutcome.Performed done) {
      ObjectNode body = Exchange.JSON.createObjectNode();
      body.put("performed", true);
      body.put("actor", x.identity().name());
      body.set("action", WorkItemJson.action(done.view()));
      body.set("item", WorkItemJson.summary(done.after(), engine.store().backlog()));
      body.set("entry", WorkItemJson.history(done.entry()));
      x.ok(body);
      return;
    }
    throw blocked(id, outcome.view());
  }

  private static ApiException blocked(String id, ActionView view) {
    GateResult first =
        view.gates().stream().filter(g -> g.status() != GateStatus.PASS).findFirst().orElseThrow();
    Optional<Recovery> recovery = view.recovery();
    Diagnostic d =
        Diagnostic.of(
            Severity.ERROR,
            first.gate(),
            "action '" + view.identity() + "' on " + id + " is blocked: " + first.reason(),
            new Location("", 0, 0),
            recovery.map(Recovery::nextStep).orElse(null));
    ObjectNode extra = Exchange.JSON.createObjectNode();
    extra.put("performed", false);
    extra.set("action", WorkItemJson.action(view));
    return new ApiException(422, d, extra);
  }

  private static String known(WorkItemService service, String id) {
    if (service.engine().store().find(id).isEmpty()) {
      throw ApiException.notFound("no work item '" + id + "'");
    }
    return id;
  }
}
