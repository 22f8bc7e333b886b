package dev.tollgate.cli.items;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.core.config.DidYouMean;
import dev.tollgate.core.workitem.Backlog;
import dev.tollgate.core.workitem.Blocker;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.core.workitem.WorkItemStatus;
import dev.tollgate.policy.Policy;
import dev.tollgate.policy.PolicyEngine;
import dev.tollgate.policy.WorkItemJson;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tollgate items list}: the work items in rank order, optionally filtered by epic, status,
 * priority, owner and lane.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "List work items in rank order (priority 1 first, unranked last).",
      "Repeat a filter to accept several values; different filters must all match.",
      "Exit codes: 0 listed (even when nothing matches), 2 bad input, 3 could not finish."
    })
public final class ItemsListCommand implements Callable<Integer> {

  @Mixin BoardOptions options;

  @Option(names = "--epic", paramLabel = "EPIC", description = "Only items of this epic.")
  List<String> epics = new ArrayList<>();

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description = "Only items with this status: open, in-progress, done or deferred.")
  List<String> statuses = new ArrayList<>();

  @Option(names = "--priority", paramLabel = "N", description = "Only items ranked N (1 is first).")
  List<Integer> priorities = new ArrayList<>();

  @Option(names = "--owner", paramLabel = "NAME", description = "Only items owned by NAME.")
  List<String> owners = new ArrayList<>();

  @Option(names = "--lane", paramLabel = "LANE", description = "Only items in this lane.")
  List<String> lanes = new ArrayList<>();

  @Override
  public Integer call() {
    boolean json = options.json();
    List<WorkItemStatus> wanted = new ArrayList<>();
    for (String s : statuses) {
      wanted.add(
          WorkItemStatus.parse(s)
              .orElseThrow(
                  () ->
                      options.usage(
                          "--status must be one of "
                              + Arrays.stream(WorkItemStatus.values())
                                  .map(WorkItemStatus::label)
                                  .collect(Collectors.joining(", "))
                              + " but was '"
                              + s
                              + "'")));
    }
    for (int p : priorities) {
      if (p < 1) {
        throw options.usage("--priority must be >= 1 but was " + p);
      }
    }
    PolicyEngine engine = options.engine(options.clock());
    Policy policy = engine.policy();
    for (String lane : lanes) {
      declared("--lane", "lane", lane, policy.laneIds(), policy.file());
    }
    for (String epic : epics) {
      declared("--epic", "epic", epic, policy.epics().keySet(), policy.file());
    }
    Backlog backlog = engine.store().backlog();
    List<WorkItem> matching =
        backlog.ranked().stream()
            .filter(i -> epics.isEmpty() || i.epic().map(epics::contains).orElse(false))
            .filter(i -> wanted.isEmpty() || wanted.contains(i.status()))
            .filter(
                i ->
                    priorities.isEmpty()
                        || (i.priority().isPresent()
                            && priorities.contains(i.priority().getAsInt())))
            .filter(i -> owners.isEmpty() || i.owner().map(owners::contains).orElse(false))
            .filter(i -> lanes.isEmpty() || lanes.contains(i.lane()))
            .toList();
    PrintWriter out = options.out();
    if (json) {
      ArrayNode a = ItemsJson.array();
      matching.forEach(i -> a.add(WorkItemJson.summary(i, backlog)));
      out.print(ItemsJson.write(a));
    } else {
      out.print(text(matching, backlog));
    }
    out.flush();
    return ExitCode.OK;
  }

  private String text(List<WorkItem> items, Backlog backlog) {
    if (items.isEmpty()) {
      return backlog.items().isEmpty()
          ? "No work items yet: add work-items/<id>.yml files.\n"
          : "No work items match the filters.\n";
    }
    List<List<String>> rows = new ArrayList<>();
    for (WorkItem i : items) {
      String title = i.title();
      List<String> waiting =
          backlog.blockers(i).stream()
              .filter(Blocker::blocking)
              .map(b -> b instanceof Blocker.OnItem o ? o.id() : "\"" + text(b) + "\"")
              .toList();
      if (!waiting.isEmpty()) {
        title += "  [blocked by " + String.join(", ", waiting) + "]";
      }
      rows.add(
          List.of(
              ItemsText.or(i.priority()),
              i.id(),
              i.lane(),
              i.status().label(),
              ItemsText.or(i.owner()),
              ItemsText.or(i.epic()),
              title));
    }
    return ItemsText.table(List.of("RANK", "ID", "LANE", "STATUS", "OWNER", "EPIC", "TITLE"), rows)
        + items.size()
        + (items.size() == 1 ? " item" : " items")
        + "\n";
  }

  private static String text(Blocker b) {
    return ((Blocker.FreeText) b).text();
  }

  private void declared(
      String option, String kind, String value, Collection<String> known, String policyFile) {
    if (known.contains(value)) {
      return;
    }
    String message =
        option
            + " names the "
            + kind
            + " '"
            + value
            + "', which "
            + options.prefix()
            + policyFile
            + " does not declare";
    String suggestion = DidYouMean.suggest(value, known).orElse(null);
    if (suggestion != null) {
      message += "; did you mean `" + suggestion + "`?";
    } else if (!known.isEmpty()) {
      message += " (declared: " + String.join(", ", known) + ")";
    }
    throw options.usage(message);
  }
}
