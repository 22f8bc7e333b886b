package dev.tollgate.cli.speckit;

import dev.tollgate.actions.report.ReportFormat;
import dev.tollgate.actions.report.ReportRenderer;
import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.ReportOptions;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.report.Report;
import dev.tollgate.core.report.Section;
import dev.tollgate.speckit.SpecKitConfig;
import dev.tollgate.speckit.SpecKitConfigLoader;
import dev.tollgate.speckit.SpecKitValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code tollgate spec-kit validate}: checks Spec Kit documents against the rule catalog. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Validate Spec Kit documents (GitHub layout or classic) against the rule catalog.",
      "Exit codes: 0 no errors (no warnings with --strict), 1 findings, 2 bad input,"
          + " 3 could not finish."
    })
public final class ValidateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      paramLabel = "PATH",
      arity = "0..*",
      description = "A repository root, a specs folder or one feature folder (default: .).")
  List<String> paths = new ArrayList<>();

  @Option(names = "--strict", description = "Warnings fail the check too.")
  boolean strict;

  @Mixin ReportOptions report;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Configuration file (default: .tollgate/spec-kit.yml in the first PATH or the closest"
              + " folder above it that has one).")
  String config;

  @Override
  public Integer call() {
    ReportFormat reportFormat = report.format();
    if (report.docsBaseUrl.isBlank()) {
      throw usage("--docs-base-url must not be empty");
    }
    List<Path> targets = new ArrayList<>();
    for (String p : paths.isEmpty() ? List.of(".") : paths) {
      Path path = path(p, "PATH");
      if (!Files.exists(path)) {
        throw usage("PATH '" + p + "' does not exist");
      }
      if (!Files.isReadable(path)) {
        throw usage("PATH '" + p + "' cannot be read");
      }
      targets.add(path);
    }
    SpecKitConfig settings = loadConfig(targets.get(0));
    if (strict) {
      settings = settings.withStrict(true);
    }
    Report result = new SpecKitValidator(settings).validate(targets);
    // Text is read by a person in a terminal: its paths must open from where they stand. The
    // other formats keep repository-relative paths, which annotations and SARIF need.
    Report shown = reportFormat == ReportFormat.TEXT ? fromHere(result, targets) : result;
    String text =
        ReportRenderer.of(reportFormat)
            .render(shown, report.renderOptions().toBuilder().strict(settings.strict()).build());
    report.emit(text);
    return result.failed(settings.strict()) ? ExitCode.FINDINGS : ExitCode.OK;
  }

  private SpecKitConfig loadConfig(Path firstTarget) {
    if (config != null) {
      Path file = path(config, "--config");
      if (!Files.isRegularFile(file)) {
        throw usage("--config file '" + config + "' does not exist");
      }
      return SpecKitConfigLoader.loadFile(file, config.replace('\\', '/'));
    }
    Path start = firstTarget.toAbsolutePath().normalize();
    if (!Files.isDirectory(start)) {
      start = start.getParent();
    }
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(SpecKitConfigLoader.DEFAULT_PATH);
      if (Files.isRegularFile(candidate)) {
        return SpecKitConfigLoader.loadFile(candidate, shown(candidate));
      }
      if (Files.isDirectory(dir.resolve(".git"))) {
        break; // the repository root: a config above it belongs to another project
      }
    }
    return SpecKitConfig.defaults();
  }

  /**
   * The report with every path relative to the working folder instead of to the report's root (the
   * Git repository's root, or the project's), so that {@code demo/specs/x/tasks.md} opens from
   * {@code examples/} whether or not there is a {@code .git} above it.
   */
  static Report fromHere(Report report, List<Path> targets) {
    Path cwd = realWorkingFolder();
    List<Path> roots = targets.stream().map(SpecKitValidator::reportRoot).distinct().toList();
    List<Section> sections = new ArrayList<>();
    for (Section s : report.sections()) {
      List<Diagnostic> findings = new ArrayList<>();
      for (Diagnostic d : s.findings()) {
        Location l = d.location();
        findings.add(
            new Diagnostic(
                d.severity(),
                d.ruleId(),
                d.message(),
                new Location(fromHere(cwd, roots, l.file()), l.line(), l.column()),
                d.hint(),
                d.docsUrl()));
      }
      sections.add(
          new Section(
              s.name(), s.path().isEmpty() ? "" : fromHere(cwd, roots, s.path()), findings));
    }
    return new Report(report.tool(), report.title(), sections, report.rules(), report.files());
  }

  private static String fromHere(Path cwd, List<Path> roots, String file) {
    if (file.isEmpty()) {
      return file;
    }
    Path root =
        roots.stream().filter(r -> Files.exists(r.resolve(file))).findFirst().orElse(roots.get(0));
    Path absolute = root.resolve(file).normalize();
    try {
      String relative = cwd.relativize(absolute).toString().replace('\\', '/');
      return relative.isEmpty() ? "." : relative;
    } catch (IllegalArgumentException e) {
      return absolute.toString().replace('\\', '/'); // another drive: no relative path
    }
  }

  private static Path realWorkingFolder() {
    Path cwd = Path.of("").toAbsolutePath();
    try {
      return cwd.toRealPath();
    } catch (java.io.IOException e) {
      return cwd;
    }
  }

  /** A path relative to the working folder when it is inside it, with {@code /} separators. */
  private static String shown(Path file) {
    Path cwd = Path.of("").toAbsolutePath();
    Path shown = file.startsWith(cwd) ? cwd.relativize(file) : file;
    return shown.toString().replace('\\', '/');
  }

  private Path path(String text, String what) {
    return ReportOptions.path(spec, text, what);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
