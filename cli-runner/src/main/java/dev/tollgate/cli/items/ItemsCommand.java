package dev.tollgate.cli.items;

import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.VersionProvider;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tollgate items} command group: the control-plane view of the work items — list them,
 * show one in detail, see which actions it offers, perform one under the policy, create items and
 * change their planning fields.
 */
@Command(
    name = "items",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "List, inspect, create, change and move work items under the project's policy.",
    subcommands = {
      ItemsListCommand.class,
      ItemsShowCommand.class,
      ItemsActionsCommand.class,
      ItemsDoCommand.class,
      ItemsCreateCommand.class,
      ItemsSetCommand.class
    })
public final class ItemsCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.BAD_INPUT;
  }
}
