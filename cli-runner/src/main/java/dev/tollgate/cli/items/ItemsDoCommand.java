package dev.tollgate.cli.items;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.core.config.DidYouMean;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.workitem.FieldChange;
import dev.tollgate.core.workitem.HistoryEntry;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.policy.ActionDefinition;
import dev.tollgate.policy.ActionOutcome;
import dev.tollgate.policy.ActionView;
import dev.tollgate.policy.PolicyEngine;
import dev.tollgate.policy.WorkItemJson;
import dev.tollgate.policy.WorkItemService;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tollgate items do ID ACTION}: performs an action on a work item when every gate passes,
 * rewriting the item's file atomically with its new lane, status, state and a history entry;
 * otherwise changes nothing and explains each blocked gate.
 */
@Command(
    name = "do",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Perform an action on a work item when every gate passes; the item's file is rewritten"
          + " atomically and its history appended. When a gate blocks, nothing is written and"
          + " the guidance for each blocked gate is printed.",
      "Exit codes: 0 performed, 1 blocked, 2 bad input (unknown item or action, invalid"
          + " policy), 3 could not finish (e.g. the file changed on disk)."
    })
public final class ItemsDoCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "ID", description = "The work item's id, e.g. wi-SF-101.")
  String id;

  @Parameters(
      index = "1",
      paramLabel = "ACTION",
      description = "The action's identity, e.g. start-execution.")
  String action;

  @Option(
      names = "--actor",
      paramLabel = "NAME",
      required = true,
      description = "Who performs the action; recorded in the item's history.")
  String actor;

  @Mixin BoardOptions options;

  @Override
  public Integer call() {
    boolean json = options.json();
    if (actor.isBlank()) {
      throw options.usage("--actor must not be blank");
    }
    PolicyEngine engine = options.engine(options.clock());
    engine.item(id);
    if (engine.policy().action(action).isEmpty()) {
      List<String> known = engine.policy().actions().stream().map(ActionDefinition::id).toList();
      throw options.usage(
          "no action '"
              + action
              + "'"
              + DidYouMean.suggest(action, known).map(s -> "; did you mean `" + s + "`?").orElse("")
              + " (actions: "
              + String.join(", ", known)
              + ")");
    }
    ActionOutcome outcome = engine.perform(id, action, actor, options.clock());
    String file = options.prefix() + WorkItemService.of(engine, options.clock()).file(id);
    PrintWriter out = options.out();
    if (outcome instanceof ActionOutcome.Performed done) {
      List<FieldChange> changes = changes(done.before(), done.after());
      out.print(
          json
              ? ItemsJson.write(json(done.view(), changes, done.entry(), file))
              : performedText(done, changes, file));
      out.flush();
      return ExitCode.OK;
    }
    ActionView view = outcome.view();
    out.print(json ? ItemsJson.write(json(view, List.of(), null, file)) : blockedText(view));
    out.flush();
    return ExitCode.FINDINGS;
  }

  private static List<FieldChange> changes(WorkItem before, WorkItem after) {
    List<FieldChange> out = new ArrayList<>();
    if (!before.lane().equals(after.lane())) {
      out.add(FieldChange.of("lane", before.lane(), after.lane()));
    }
    if (before.status() != after.status()) {
      out.add(FieldChange.of("status", before.status().label(), after.status().label()));
    }
    if (!before.state().equals(after.state())) {
      out.add(new FieldChange("state", before.state(), after.state()));
    }
    return out;
  }

  private ObjectNode json(
      ActionView view, List<FieldChange> changes, HistoryEntry entry, String file) {
    ObjectNode o = ItemsJson.object();
    o.put("item", id);
    o.put("action", view.identity());
    o.put("actor", actor);
    o.put("performed", entry != null);
    o.put("file", file);
    ArrayNode c = o.putArray("changes");
    changes.forEach(ch -> c.add(WorkItemJson.change(ch)));
    o.set(
        "history",
        entry == null ? JsonNodeFactory.instance.nullNode() : WorkItemJson.history(entry));
    o.set("gates", WorkItemJson.gates(view.gates()));
    o.set("recovery", WorkItemJson.recovery(view.recovery()));
    return o;
  }

  private String performedText(
      ActionOutcome.Performed done, List<FieldChange> changes, String file) {
    StringBuilder out = new StringBuilder();
    out.append(id)
        .append(": ")
        .append(done.view().title())
        .append(" performed by ")
        .append(actor)
        .append('\n');
    for (FieldChange ch : changes) {
      out.append("  ")
          .append(ch.field())
          .append(" ".repeat(Math.max(1, 9 - ch.field().length())))
          .append(ItemsText.or(ch.from()))
          .append(" → ")
          .append(ItemsText.or(ch.to()))
          .append('\n');
    }
    HistoryEntry h = done.entry();
    out.append("  history  + ").append(h.at()).append(' ').append(h.actor()).append(' ');
    out.append(h.action());
    h.from().ifPresent(f -> out.append(' ').append(f).append(" → ").append(h.to().get()));
    out.append('\n');
    out.append("Wrote ").append(file).append('\n');
    return out.toString();
  }

  private String blockedText(ActionView view) {
    List<GateResult> failures = view.verdict().failures();
    StringBuilder out = new StringBuilder();
    out.append(id)
        .append(": ")
        .append(view.title())
        .append(" is blocked by ")
        .append(failures.size())
        .append(" of ")
        .append(view.gates().size())
        .append(view.gates().size() == 1 ? " gate" : " gates")
        .append('\n');
    out.append(ItemsText.gates(view.gates(), "  "));
    out.append("Nothing was changed.\n");
    return out.toString();
  }
}
