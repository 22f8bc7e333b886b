package dev.tollgate.cli.items;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.core.workitem.Backlog;
import dev.tollgate.core.workitem.Blocker;
import dev.tollgate.core.workitem.Epic;
import dev.tollgate.core.workitem.EpicProgress;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.core.workitem.WorkItemStatus;
import dev.tollgate.policy.PolicyEngine;
import dev.tollgate.policy.WorkItemJson;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code tollgate epics}: the progress of every epic the policy declares, computed from its items,
 * with the blockers still holding its unfinished items.
 */
@Command(
    name = "epics",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Show the progress of each epic: items done of total, percent done (deferred items do not"
          + " count), and the open blockers of its unfinished items.",
      "Exit codes: 0 shown, 2 bad input, 3 could not finish."
    })
public final class EpicsCommand implements Callable<Integer> {

  @Mixin BoardOptions options;

  /** One open blocker of an epic: the unfinished item it holds and what holds it. */
  private record OpenBlocker(String item, Blocker blocker) {}

  @Override
  public Integer call() {
    boolean json = options.json();
    PolicyEngine engine = options.engine(options.clock());
    Backlog backlog = engine.store().backlog();
    List<Epic> epics = List.copyOf(engine.policy().epics().values());
    PrintWriter out = options.out();
    if (json) {
      ArrayNode a = ItemsJson.array();
      for (Epic e : epics) {
        EpicProgress p = backlog.progress(e.id());
        ObjectNode o = a.addObject();
        o.put("id", e.id());
        o.put("title", e.title());
        o.put("total", p.total());
        o.put("done", p.done());
        o.put("inProgress", p.inProgress());
        o.put("open", p.open());
        o.put("deferred", p.deferred());
        o.put("percent", p.percentDone());
        o.put("complete", p.complete());
        ArrayNode blockers = o.putArray("openBlockers");
        for (OpenBlocker b : openBlockers(backlog, e.id())) {
          ObjectNode n = WorkItemJson.blocker(b.blocker());
          n.put("item", b.item());
          blockers.add(n);
        }
      }
      out.print(ItemsJson.write(a));
    } else {
      out.print(text(backlog, epics));
    }
    out.flush();
    return ExitCode.OK;
  }

  private String text(Backlog backlog, List<Epic> epics) {
    if (epics.isEmpty()) {
      return "No epics declared: add them under epics: in .tollgate/policy.yml.\n";
    }
    List<List<String>> rows = new ArrayList<>();
    StringBuilder details = new StringBuilder();
    for (Epic e : epics) {
      EpicProgress p = backlog.progress(e.id());
      List<OpenBlocker> blockers = openBlockers(backlog, e.id());
      rows.add(
          List.of(
              e.id(),
              p.done() + "/" + p.total(),
              p.percentDone() + "%",
              Integer.toString(p.inProgress()),
              Integer.toString(p.open()),
              Integer.toString(p.deferred()),
              Integer.toString(blockers.size()),
              e.title()));
      for (OpenBlocker b : blockers) {
        details
            .append("  ")
            .append(e.id())
            .append(": ")
            .append(b.item())
            .append(" is ")
            .append(b.blocker().describe())
            .append('\n');
      }
    }
    String table =
        ItemsText.table(
            List.of(
                "EPIC", "DONE", "PERCENT", "IN PROGRESS", "OPEN", "DEFERRED", "BLOCKERS", "TITLE"),
            rows);
    return details.length() == 0 ? table : table + "\nOpen blockers:\n" + details;
  }

  /** The blockers still holding the epic's items that are neither done nor deferred, by rank. */
  private static List<OpenBlocker> openBlockers(Backlog backlog, String epic) {
    List<OpenBlocker> out = new ArrayList<>();
    for (WorkItem i : backlog.ranked()) {
      if (!i.epic().map(epic::equals).orElse(false)
          || i.status() == WorkItemStatus.DONE
          || i.status() == WorkItemStatus.DEFERRED) {
        continue;
      }
      for (Blocker b : backlog.blockers(i)) {
        if (b.blocking()) {
          out.add(new OpenBlocker(i.id(), b));
        }
      }
    }
    return out;
  }
}
