package dev.tollgate.cli.items;

import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.workitem.WorkItemChange;
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
 * {@code tollgate items set ID …}: changes a work item's owner, priority, due date, epic and
 * blockers through {@link WorkItemService#update}.
 */
@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Change a work item's owner, priority, due date, epic or blockers: the file is rewritten"
          + " atomically with an 'update' history entry saying what changed. Values it already"
          + " has change nothing and nothing is written.",
      "Exit codes: 0 changed or nothing to change, 2 bad input (an unknown item, an undeclared"
          + " epic, a blocker that names no item, closes a cycle or is not the item's), 3 could"
          + " not finish (e.g. the file changed on disk since it was read)."
    })
public final class ItemsSetCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "ID", description = "The work item's id, e.g. wi-SF-101.")
  String id;

  @Option(names = "--owner", paramLabel = "NAME", description = "Set who is responsible.")
  String owner;

  @Option(names = "--no-owner", description = "Remove the owner.")
  boolean noOwner;

  @Option(names = "--priority", paramLabel = "N", description = "Set the rank, 1 first.")
  Integer priority;

  @Option(names = "--no-priority", description = "Make the item unranked.")
  boolean noPriority;

  @Option(names = "--due", paramLabel = "YYYY-MM-DD", description = "Set the due date.")
  String due;

  @Option(names = "--no-due", description = "Remove the due date.")
  boolean noDue;

  @Option(names = "--epic", paramLabel = "EPIC", description = "Move the item to an epic.")
  String epic;

  @Option(names = "--no-epic", description = "Take the item out of its epic.")
  boolean noEpic;

  @Option(
      names = "--add-blocker",
      paramLabel = "ID",
      split = ",",
      description = "A work item it now waits for; repeat or separate with commas.")
  List<String> addBlockers = new ArrayList<>();

  @Option(
      names = "--remove-blocker",
      paramLabel = "ENTRY",
      description = "A blocker to remove, an id or free text as the file lists it; repeatable.")
  List<String> removeBlockers = new ArrayList<>();

  @Option(
      names = "--actor",
      paramLabel = "NAME",
      required = true,
      description = "Who makes the change; recorded in the item's history.")
  String actor;

  @Mixin BoardOptions options;

  @Override
  public Integer call() {
    boolean json = options.json();
    if (actor.isBlank()) {
      throw options.usage("--actor must not be blank");
    }
    exclusive("--owner", owner != null, noOwner);
    exclusive("--priority", priority != null, noPriority);
    exclusive("--due", due != null, noDue);
    exclusive("--epic", epic != null, noEpic);
    WorkItemChange.Builder b = WorkItemChange.builder();
    WorkItemChange change;
    try {
      if (owner != null) {
        b.owner(owner);
      } else if (noOwner) {
        b.clearOwner();
      }
      if (priority != null) {
        b.priority(priority);
      } else if (noPriority) {
        b.clearPriority();
      }
      if (due != null) {
        b.due(ItemsWrites.date("--due", due, options));
      } else if (noDue) {
        b.clearDue();
      }
      if (epic != null) {
        b.epic(epic);
      } else if (noEpic) {
        b.clearEpic();
      }
      addBlockers.forEach(b::addBlocker);
      removeBlockers.forEach(b::removeBlocker);
    } catch (IllegalArgumentException e) {
      throw options.usage(e.getMessage());
    }
    try {
      change = b.build();
    } catch (IllegalArgumentException nothing) {
      throw options.usage(
          "nothing to change: give --owner, --priority, --due, --epic (or --no-owner,"
              + " --no-priority, --no-due, --no-epic), --add-blocker or --remove-blocker");
    }
    WorkItemService service = WorkItemService.of(options.engine(options.clock()), options.clock());
    WorkItemWrite write;
    try {
      write = service.update(id, change, actor);
    } catch (TollgateException e) {
      throw options.located(e);
    }
    ItemsWrites.print(write.withFile(options.prefix() + write.file()), json, options.out());
    return ExitCode.OK;
  }

  private void exclusive(String option, boolean set, boolean cleared) {
    if (set && cleared) {
      throw options.usage(option + " and --no-" + option.substring(2) + " cannot be used together");
    }
  }
}
