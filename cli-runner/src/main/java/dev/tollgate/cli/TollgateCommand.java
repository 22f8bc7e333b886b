package dev.tollgate.cli;

import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.Seams;
import dev.tollgate.cli.common.Terminal;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.cli.deploy.ChangeCommands;
import dev.tollgate.cli.deploy.DeployCommands;
import dev.tollgate.cli.deploy.LockCommands;
import dev.tollgate.cli.gate.CommentCommand;
import dev.tollgate.cli.gate.GateCommand;
import dev.tollgate.cli.items.EpicsCommand;
import dev.tollgate.cli.items.ItemsCommand;
import dev.tollgate.cli.runs.DbCommand;
import dev.tollgate.cli.runs.RunsCommand;
import dev.tollgate.cli.runs.SweepCommand;
import dev.tollgate.cli.runs.WorkerCommand;
import dev.tollgate.cli.serve.ServeCommand;
import dev.tollgate.cli.speckit.InitCommand;
import dev.tollgate.cli.speckit.SpecKitCommand;
import dev.tollgate.cli.speckit.ValidateCommand;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.config.DidYouMean;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The top-level {@code tollgate} command; its subcommands do the work.
 *
 * <p>It also owns the exit-code contract ({@link ExitCode}): bad usage and bad input print one
 * message and a usage hint to stderr and exit 2; anything unexpected exits 3, with a stack trace
 * only under {@code --verbose}.
 */
@Command(
    name = "tollgate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Governed delivery for GitHub Actions: gates, runs, deploys and Spec Kit checks.",
    // The subcommands, `help` included, are added by commandLine(...): only the one a command
    // line names.
    subcommands = {})
public final class TollgateCommand implements Callable<Integer> {
  /**
   * The top-level subcommands by name, in the order {@code --help} lists them. Building picocli's
   * model of a command reads every annotation of it and of its subcommands by reflection, which in
   * a fresh JVM costs more than most commands' own work; so a command line that names one of these
   * gets the model of that one only, and every other (help, a typo, {@code @file}) gets all.
   */
  static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

  private static Map<String, Class<?>> subcommands() {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    m.put("spec-kit", SpecKitCommand.class);
    m.put("items", ItemsCommand.class);
    m.put("epics", EpicsCommand.class);
    m.put("gate", GateCommand.class);
    m.put("db", DbCommand.class);
    m.put("runs", RunsCommand.class);
    m.put("worker", WorkerCommand.class);
    m.put("sweep", SweepCommand.class);
    m.put("serve", ServeCommand.class);
    m.put("deploy", DeployCommands.Deploy.class);
    m.put("rollback", DeployCommands.Rollback.class);
    m.put("changes", ChangeCommands.Changes.class);
    m.put("promotions", ChangeCommands.Promotions.class);
    m.put("lock", LockCommands.Lock.class);
    m.put("unlock", LockCommands.Unlock.class);
    m.put("locks", LockCommands.Locks.class);
    m.put("releases", LockCommands.Releases.class);
    m.put("comment", CommentCommand.class);
    return Collections.unmodifiableMap(m);
  }

  /**
   * The subcommands of the groups whose own subcommands are added the same way, by group and then
   * by name in the order {@code --help} lists them: a command line that names one of them gets the
   * model of that one only.
   */
  static final Map<String, Map<String, Class<?>>> GROUPS = groups();

  private static Map<String, Map<String, Class<?>>> groups() {
    Map<String, Class<?>> specKit = new LinkedHashMap<>();
    specKit.put("validate", ValidateCommand.class);
    specKit.put("init", InitCommand.class);
    return Map.of("spec-kit", Collections.unmodifiableMap(specKit));
  }

  @CommandLine.Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.BAD_INPUT;
  }

  /** Runs the command line on the process's stdout and stderr and returns the exit code. */
  public static int execute(String... args) {
    return execute(Terminal.stdout(), Terminal.stderr(), args);
  }

  /**
   * Runs the command line writing to {@code out} and {@code err}, and returns the exit code without
   * exiting the JVM. Both writers are flushed before returning.
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    return execute(Seams.system(), out, err, args);
  }

  /**
   * Runs the command line as {@link #execute(PrintWriter, PrintWriter, String...)} does, with the
   * clock and environment of {@code seams}.
   */
  public static int execute(Seams seams, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cmd = commandLine(seams, args);
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setParameterExceptionHandler(TollgateCommand::onParameterException);
    cmd.setExecutionExceptionHandler(TollgateCommand::onExecutionException);
    cmd.setExecutionStrategy(TollgateCommand::run);
    try {
      return cmd.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * The command line for {@code args}: with only the subcommand that {@code args} starts with when
   * it is one of {@link #SUBCOMMANDS} (and, for a group of {@link #GROUPS}, only the group's
   * subcommand named next, if it is one), with none for {@code --version} alone, else with {@code
   * help} and all of them.
   */
  static CommandLine commandLine(Seams seams, String... args) {
    CommandLine cmd = new CommandLine(new TollgateCommand(), new CommandFactory(seams));
    String first = args.length > 0 ? args[0] : "";
    Class<?> named = SUBCOMMANDS.get(first);
    if (named != null) {
      add(cmd, first, named, args.length > 1 ? args[1] : "");
    } else if (!(args.length == 1 && (first.equals("--version") || first.equals("-V")))) {
      cmd.addSubcommand("help", CommandLine.HelpCommand.class);
      SUBCOMMANDS.forEach((name, type) -> add(cmd, name, type, ""));
    }
    return cmd;
  }

  /** Adds subcommand {@code name} and, for a group, its subcommand {@code next} or all of them. */
  private static void add(CommandLine parent, String name, Class<?> type, String next) {
    parent.addSubcommand(name, type);
    Map<String, Class<?>> children = GROUPS.get(name);
    if (children == null) {
      return;
    }
    CommandLine group = parent.getSubcommands().get(name);
    Class<?> child = children.get(next);
    if (child != null) {
      group.addSubcommand(next, child);
    } else {
      children.forEach(group::addSubcommand);
    }
  }

  /**
   * Runs the parsed command as picocli does by default; a command (not a request for help or the
   * version) first waits for the set-up {@link Warmup} does beside the parsing.
   */
  private static int run(ParseResult parseResult) {
    boolean help = false;
    for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
      help |= pr.isUsageHelpRequested() || pr.isVersionHelpRequested();
    }
    if (!help) {
      Warmup.await();
    }
    return new CommandLine.RunLast().execute(parseResult);
  }

  /** Bad usage: one message, a usage hint, exit 2. Never a stack trace. */
  private static int onParameterException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    String message = ex.getMessage();
    if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().get(0);
      String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
      List<String> candidates = new ArrayList<>();
      CommandSpec spec = cmd.getCommandSpec();
      if (name.startsWith("-")) {
        for (OptionSpec o : spec.options()) {
          candidates.addAll(List.of(o.names()));
        }
      } else {
        candidates.addAll(spec.subcommands().keySet());
      }
      String suggestion = DidYouMean.suggest(name, candidates).orElse(null);
      if (suggestion != null) {
        message += "; did you mean `" + suggestion + "`?";
      }
    }
    err.println(message);
    err.println(tryHelp(cmd));
    err.flush();
    return ExitCode.BAD_INPUT;
  }

  /**
   * Failures while running: bad input (exit 2) prints its message and a usage hint; could not
   * finish and unexpected exceptions (exit 3) print one line, and the stack trace under {@code
   * --verbose}.
   */
  private static int onExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    boolean verbose = verbose(parseResult);
    try {
      if (ex instanceof TollgateException t && t.kind() == TollgateException.Kind.BAD_INPUT) {
        err.println(t.getMessage());
        err.println(tryHelp(cmd));
        if (verbose) {
          t.printStackTrace(err);
        }
        return ExitCode.BAD_INPUT;
      }
      if (ex instanceof TollgateException t) {
        err.println("tollgate: could not finish: " + t.getMessage());
      } else {
        err.println("tollgate: internal error: " + ex);
      }
      if (verbose) {
        ex.printStackTrace(err);
      } else {
        err.println("Run again with --verbose to see the stack trace.");
      }
      return ExitCode.COULD_NOT_FINISH;
    } finally {
      err.flush();
    }
  }

  private static boolean verbose(ParseResult parseResult) {
    for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
      if (pr.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  private static String tryHelp(CommandLine cmd) {
    return "Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.";
  }
}
