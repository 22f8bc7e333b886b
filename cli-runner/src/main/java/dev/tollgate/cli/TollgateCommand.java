package dev.tollgate.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code tollgate} command; its subcommands do the work. */
@Command(
    name = "tollgate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Governed delivery for GitHub Actions: gates, runs, deploys and Spec Kit checks.",
    subcommands = {CommandLine.HelpCommand.class})
final class TollgateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.BAD_INPUT;
  }

  /** Runs the command line and returns the exit code, without exiting the JVM. */
  static int execute(String... args) {
    return new CommandLine(new TollgateCommand()).execute(args);
  }
}
