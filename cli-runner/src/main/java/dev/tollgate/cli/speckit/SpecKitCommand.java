package dev.tollgate.cli.speckit;

import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.VersionProvider;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tollgate spec-kit} command group: validate and generate Spec Kit documents. */
@Command(
    name = "spec-kit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Validate Spec Kit documents or generate a new feature."
    // Its subcommands, validate and init, are added by TollgateCommand.commandLine: only the one a
    // command line names.
    )
public final class SpecKitCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.BAD_INPUT;
  }
}
