package dev.tollgate.controlplane;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.GateStatus;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.core.workitem.Backlog;
import dev.tollgate.core.workitem.NewWorkItem;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.core.workitem.WorkItemChange;
import dev.tollgate.policy.ActionOutcome;
import dev.tollgate.policy.ActionView;
import dev.tollgate.policy.EpicStatus;
import dev.tollgate.policy.Lane;
import dev.tollgate.policy.PolicyEngine;
import dev.tollgate.policy.WorkItemJson;
import dev.tollgate.policy.WorkItemService;
import dev.tollgate.policy.WorkItemWrite;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The work-item endpoints: board, list with filters, detail, epics, creating an item and changing
 * its fields, its actions and performing one.
 */
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
    Predicate<WorkItem> filter = ItemFilter.of(engine, x::query);
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

  /** {@code GET /api/control-plane/epics}: each epic with its progress and open blockers. */
  void epics(Exchange x) throws IOException {
    ObjectNode body = Exchange.JSON.createObjectNode();
    ArrayNode epics = body.putArray("epics");
    EpicStatus.of(service().engine()).forEach(e -> epics.add(WorkItemJson.epic(e)));
    x.ok(body);
  }

  /**
   * {@code POST /api/control-plane/items}: creates an item as the caller, as {@code tollgate items
   * create}: 201 with the write; 400 with every problem the policy finds (nothing is written).
   */
  void create(Exchange x) throws IOException {
    WorkItemService service = service();
    NewWorkItem request =
        ItemRequests.newItem(ItemRequests.json(x.body(), ItemRequests.newFields()));
    x.reply(201, write(() -> service.create(request, x.identity().name())).toJson());
  }

  /**
   * {@code PATCH /api/control-plane/items/{id}}: changes the fields given as the caller ({@code
   * null} clears one), as {@code tollgate items set}: 200 with the write ({@code written} false
   * when nothing changed); 400 with every problem; 409 when the item changed meanwhile.
   */
  void update(Exchange x) throws IOException {
    WorkItemService service = service();
    String id = known(service, x.path("id"));
    WorkItemChange change =
        ItemRequests.change(ItemRequests.json(x.body(), ItemRequests.changeFields()));
    x.ok(write(() -> service.update(id, change, x.identity().name())).toJson());
  }

  /** Runs a write, turning every problem the service finds into one 400 listing them all. */
  static WorkItemWrite write(java.util.function.Supplier<WorkItemWrite> write) {
    try {
      return write.get();
    } catch (TollgateException e) {
      throw TemplatesApi.problems(e); // rethrows what is not bad input (a conflict stays a 409)
    }
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
