package dev.tollgate.cli.speckit;

import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.Seams;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.speckit.SpecKitInit;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code tollgate spec-kit init}: generates a new feature or classic kit that validates. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Generate a new Spec Kit feature (specs/NNN-name/) or classic kit (spec/name/) that"
          + " validates without errors. Never overwrites anything."
    })
public final class InitCommand implements Callable<Integer> {
  /** The clock that dates generated documents, in the machine's time zone. */
  private final Clock clock;

  InitCommand(Seams seams) {
    this.clock = seams.clock().withZone(ZoneId.systemDefault());
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "Feature or kit name; slugified.")
  String name;

  @Option(
      names = "--layout",
      paramLabel = "LAYOUT",
      defaultValue = "github",
      description = "github (specs/NNN-name/) or classic (spec/name/); default: ${DEFAULT-VALUE}.")
  String layout;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "Project root to create it in (default: ${DEFAULT-VALUE}).")
  String dir;

  @Option(names = "--title", paramLabel = "TEXT", description = "Title of the documents.")
  String title;

  @Option(
      names = "--description",
      paramLabel = "TEXT",
      description = "What the feature is for, in one sentence.")
  String description;

  @Option(
      names = "--goal",
      paramLabel = "TEXT",
      description = "A goal; repeat for several. Each becomes a functional requirement.")
  List<String> goals = new ArrayList<>();

  @Option(
      names = {"-v", "--verbose"},
      description = "Print stack traces of unexpected failures.")
  boolean verbose;

  @Override
  public Integer call() {
    SpecKitInit.Layout chosen =
        SpecKitInit.Layout.parse(layout)
            .orElseThrow(
                () -> usage("--layout must be one of github, classic but was '" + layout + "'"));
    Path root;
    try {
      root = Path.of(dir);
    } catch (InvalidPathException e) {
      throw usage("--dir '" + dir + "' is not a valid path: " + e.getReason());
    }
    if (!Files.isDirectory(root)) {
      throw usage("--dir '" + dir + "' does not exist or is not a folder");
    }
    SpecKitInit.Request request = new SpecKitInit.Request(name, chosen, title, description, goals);
    SpecKitInit.Result result = new SpecKitInit(clock).create(root, request);
    PrintWriter out = spec.commandLine().getOut();
    String prefix = dir.equals(".") ? "" : dir.replace('\\', '/').replaceAll("/+$", "") + "/";
    for (String file : result.files()) {
      out.println("created " + prefix + file);
    }
    out.flush();
    return ExitCode.OK;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
