package dev.tollgate.cli.items;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.core.workitem.EpicProgress;
import dev.tollgate.policy.EpicStatus;
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

  @Override
  public Integer call() {
    boolean json = options.json();
    List<EpicStatus> epics = EpicStatus.of(options.engine(options.clock()));
    PrintWriter out = options.out();
    if (json) {
      ArrayNode a = ItemsJson.array();
      epics.forEach(e -> a.add(WorkItemJson.epic(e)));
      out.print(ItemsJson.write(a));
    } else {
      out.print(text(epics));
    }
    out.flush();
    return ExitCode.OK;
  }

  private static String text(List<EpicStatus> epics) {
    if (epics.isEmpty()) {
      return "No epics declared: add them under epics: in .tollgate/policy.yml.\n";
    }
    List<List<String>> rows = new ArrayList<>();
    StringBuilder details = new StringBuilder();
    for (EpicStatus e : epics) {
      EpicProgress p = e.progress();
      rows.add(
          List.of(
              e.epic().id(),
              p.done() + "/" + p.total(),
              p.percentDone() + "%",
              Integer.toString(p.inProgress()),
              Integer.toString(p.open()),
              Integer.toString(p.deferred()),
              Integer.toString(e.openBlockers().size()),
              e.epic().title()));
      for (EpicStatus.OpenBlocker b : e.openBlockers()) {
        details
            .append("  ")
            .append(e.epic().id())
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
}
