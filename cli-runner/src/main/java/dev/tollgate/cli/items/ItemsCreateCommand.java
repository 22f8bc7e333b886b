package dev.tollgate.cli.items;

import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.workitem.NewWorkItem;
import dev.tollgate.policy.WorkItemService;
import dev.tollgate.policy.WorkItemWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tollgate items create ID --title TITLE}: adds a work item through {@link
 * WorkItemService#create}, so the board is kept without editing YAML by hand.
 */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Create a work item: work-items/ID.yml is written atomically with a 'create' history"
          + " entry. It starts in --lane (default: the policy's first lane) with the status that"
          + " lane gives entering items (default: open).",
      "Exit codes: 0 created, 2 bad input (a taken id, an undeclared, terminal or full lane, an"
          + " undeclared epic, a blocker that names no item or closes a cycle), 3 could not"
          + " finish."
    })
public final class ItemsCreateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "ID", description = "The new item's id, e.g. wi-SF-106.")
  String id;

  @Option(
      names = "--title",
      paramLabel = "TITLE",
      required = true,
      description = "One line saying what it is.")
  String title;

  @Option(names = "--lane", paramLabel = "LANE", description = "The lane it starts in.")
  String lane;

  @Option(names = "--owner", paramLabel = "NAME", description = "Who is responsible.")
  String owner;

  @Option(names = "--priority", paramLabel = "N", description = "Its rank, 1 first.")
  Integer priority;

  @Option(names = "--due", paramLabel = "YYYY-MM-DD", description = "Its due date.")
  String due;

  @Option(names = "--epic", paramLabel = "EPIC", description = "The epic it belongs to.")
  String epic;

  @Option(
      names = "--blocked-by",
      paramLabel = "ID",
      split = ",",
      description = "A work item it waits for; repeat or separate with commas.")
  List<String> blockedBy = new ArrayList<>();

  @Option(
      names = "--actor",
      paramLabel = "NAME",
      required = true,
      description = "Who creates it; recorded in its history.")
  String actor;

  @Mixin BoardOptions options;

  @Override
  public Integer call() {
    boolean json = options.json();
    if (actor.isBlank()) {
      throw options.usage("--actor must not be blank");
    }
    NewWorkItem request;
    try {
      NewWorkItem.Builder b = NewWorkItem.builder(id, title);
      if (lane != null) {
        b.lane(lane);
      }
      if (owner != null) {
        b.owner(owner);
      }
      if (priority != null) {
        b.priority(priority);
      }
      if (due != null) {
        b.due(ItemsWrites.date("--due", due, options));
      }
      if (epic != null) {
        b.epic(epic);
      }
      blockedBy.forEach(b::blockedBy);
      request = b.build();
    } catch (IllegalArgumentException e) {
      throw options.usage(e.getMessage());
    }
    WorkItemService service = WorkItemService.of(options.engine(options.clock()), options.clock());
    WorkItemWrite write;
    try {
      write = service.create(request, actor);
    } catch (TollgateException e) {
      throw options.located(e);
    }
    ItemsWrites.print(write.withFile(options.prefix() + write.file()), json, options.out());
    return ExitCode.OK;
  }
}
