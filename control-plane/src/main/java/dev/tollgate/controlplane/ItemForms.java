package dev.tollgate.controlplane;

import dev.tollgate.controlplane.internal.pages.BoardForms;
import dev.tollgate.controlplane.internal.pages.EpicsPage;
import dev.tollgate.controlplane.internal.pages.Field;
import dev.tollgate.controlplane.internal.pages.ItemEdit;
import dev.tollgate.core.workitem.Epic;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.core.workitem.WorkItemStatus;
import dev.tollgate.policy.EpicStatus;
import dev.tollgate.policy.PolicyEngine;
import dev.tollgate.policy.WorkItemService;
import dev.tollgate.policy.WorkItemWrite;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The console's backlog forms: the board's filters and its new-item form, the item page's form that
 * changes fields, and the epics page. Writes go through the work-item service as the signed-in
 * user, with the same checks as {@code tollgate items create|set}.
 */
final class ItemForms {
  private final Console console;

  ItemForms(Console console) {
    this.console = console;
  }

  /** A request parameter, stripped; empty when missing or blank. */
  static Function<String, Optional<String>> params(Console.Page p) {
    return name ->
        Optional.ofNullable(p.req().getParameter(name))
            .map(String::strip)
            .filter(v -> !v.isEmpty());
  }

  /** The board's filters as given, with the choices its forms offer. */
  static BoardForms board(Console.Page p, PolicyEngine engine) {
    Function<String, Optional<String>> given = params(p);
    boolean filtered = ItemFilter.NAMES.stream().anyMatch(n -> given.apply(n).isPresent());
    List<Field> lanes = new ArrayList<>();
    for (String id : engine.policy().laneIds()) {
      engine
          .policy()
          .lane(id)
          .filter(l -> !l.terminal())
          .ifPresent(l -> lanes.add(new Field(l.title(), l.id())));
    }
    return new BoardForms(
        given.apply("epic").orElse(""),
        given.apply("status").orElse(""),
        given.apply("owner").orElse(""),
        given.apply("priority").orElse(""),
        filtered,
        epics(engine),
        Arrays.stream(WorkItemStatus.values()).map(WorkItemStatus::label).toList(),
        lanes,
        Console.base(p.req()) + "/items");
  }

  /** The form that changes {@code item}'s fields. */
  static ItemEdit edit(Console.Page p, PolicyEngine engine, WorkItem item) {
    return new ItemEdit(
        Console.base(p.req()) + "/items/" + Console.encode(item.id()) + "/fields",
        item.owner().orElse(""),
        item.priority().isPresent() ? Integer.toString(item.priority().getAsInt()) : "",
        item.due().map(Object::toString).orElse(""),
        item.epic().orElse(""),
        epics(engine),
        item.blockers());
  }

  private static List<Field> epics(PolicyEngine engine) {
    List<Field> out = new ArrayList<>();
    for (Epic e : engine.policy().epics().values()) {
      out.add(new Field(e.id() + " · " + e.title(), e.id()));
    }
    return out;
  }

  /** {@code POST /items}: creates the item the form describes and opens its page. */
  void create(Console.Page p, WorkItemService service) {
    WorkItemWrite write =
        ItemsApi.write(
            () ->
                service.create(
                    ItemRequests.newItem(ItemRequests.form(p.req())), p.identity().name()));
    Console.redirect(p, "/items/" + Console.encode(write.item().id()) + "?done=created");
  }

  /** {@code POST /items/{id}/fields}: changes the fields the form sends and reopens the item. */
  void update(Console.Page p, WorkItemService service, String id) {
    WorkItemWrite write =
        ItemsApi.write(
            () ->
                service.update(
                    id, ItemRequests.change(ItemRequests.form(p.req())), p.identity().name()));
    Console.redirect(
        p, "/items/" + Console.encode(id) + "?done=" + (write.written() ? "updated" : "unchanged"));
  }

  /** {@code GET /epics}: each epic with its progress and open blockers. */
  void epicsPage(Console.Page p, WorkItemService service) throws IOException {
    String base = Console.base(p.req());
    List<EpicsPage.Row> rows = new ArrayList<>();
    for (EpicStatus e : EpicStatus.of(service.engine())) {
      rows.add(
          new EpicsPage.Row(
              e.epic().id(),
              e.epic().title(),
              base + "/?epic=" + Console.encode(e.epic().id()),
              e.progress().done(),
              e.progress().total(),
              e.progress().percentDone(),
              e.progress().inProgress()
                  + " in progress · "
                  + e.progress().open()
                  + " open · "
                  + e.progress().deferred()
                  + " deferred",
              e.openBlockers().stream()
                  .map(b -> b.item() + " is " + b.blocker().describe())
                  .toList()));
    }
    Console.page(p.resp(), 200, new EpicsPage(console.frame(p, "Epics", "epics"), rows));
  }
}
