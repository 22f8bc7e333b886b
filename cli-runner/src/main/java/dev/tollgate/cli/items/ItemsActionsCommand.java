package dev.tollgate.cli.items;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.policy.ActionView;
import dev.tollgate.policy.PolicyEngine;
import dev.tollgate.policy.WorkItemJson;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tollgate items actions ID}: every action of the policy's catalog as offered for one item
 * and actor, with each gate's result and, for blocked actions, how to recover.
 */
@Command(
    name = "actions",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "List the actions a work item offers: enabled or blocked, each gate's result, and for"
          + " blocked actions the cause, policy, next step and safe retry.",
      "Exit codes: 0 listed (even when every action is blocked), 2 bad input, 3 could not finish."
    })
public final class ItemsActionsCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "ID", description = "The work item's id, e.g. wi-SF-101.")
  String id;

  @Option(
      names = "--actor",
      paramLabel = "NAME",
      description = "Who would perform the actions; permissions are checked for NAME.")
  String actor;

  @Mixin BoardOptions options;

  @Override
  public Integer call() {
    boolean json = options.json();
    PolicyEngine engine = options.engine(options.clock());
    List<ActionView> actions = engine.actions(id, actor);
    Optional<String> who = Optional.ofNullable(actor).filter(a -> !a.isBlank());
    PrintWriter out = options.out();
    if (json) {
      ObjectNode o = ItemsJson.object();
      o.put("item", id);
      ItemsJson.put(o, "actor", who);
      ArrayNode a = o.putArray("actions");
      actions.forEach(v -> a.add(WorkItemJson.action(v)));
      out.print(ItemsJson.write(o));
    } else {
      StringBuilder text = new StringBuilder();
      text.append("Actions for ")
          .append(id)
          .append(who.map(w -> " as " + w).orElse(" (no actor named)"))
          .append(":\n");
      for (ActionView v : actions) {
        text.append('\n').append(ItemsText.headline(v)).append('\n');
        text.append(ItemsText.gates(v.gates(), "  "));
      }
      out.print(text);
    }
    out.flush();
    return ExitCode.OK;
  }
}
