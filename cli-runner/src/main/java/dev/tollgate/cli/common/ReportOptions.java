package dev.tollgate.cli.common;

import dev.tollgate.actions.report.AtomicFiles;
import dev.tollgate.actions.report.RenderOptions;
import dev.tollgate.actions.report.ReportFormat;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every command that prints a report shares ({@code --format}, {@code --output}, {@code
 * --docs-base-url}, {@code --verbose}), mixed into the command with {@code @Mixin}, and how the
 * report reaches the user.
 */
public final class ReportOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "Output format: text, json, markdown, sarif or github (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the report to FILE (atomically) instead of standard output.")
  public String output;

  @Option(
      names = "--docs-base-url",
      paramLabel = "URL",
      defaultValue = RenderOptions.DEFAULT_DOCS_BASE_URL,
      description = "Prefix of links to rule pages (default: ${DEFAULT-VALUE}).")
  public String docsBaseUrl;

  // Read by name in TollgateCommand's exception handler; declared here for help and parsing.
  @Option(
      names = {"-v", "--verbose"},
      description = "Print stack traces of unexpected failures.")
  boolean verbose;

  /**
   * The report format the user typed.
   *
   * @throws ParameterException (exit code 2) naming the accepted formats when it is unknown
   */
  public ReportFormat format() {
    return ReportFormat.parse(format)
        .orElseThrow(
            () ->
                new ParameterException(
                    spec.commandLine(),
                    "--format must be one of "
                        + Arrays.stream(ReportFormat.values())
                            .map(ReportFormat::label)
                            .collect(Collectors.joining(", "))
                        + " but was '"
                        + format
                        + "'"));
  }

  /**
   * How reports are rendered: not strict, the {@code --docs-base-url} and this runner's version.
   */
  public RenderOptions renderOptions() {
    return RenderOptions.builder()
        .docsBaseUrl(docsBaseUrl)
        .toolVersion(VersionProvider.version())
        .build();
  }

  /** Writes the rendered report to {@code --output} atomically, or to standard output. */
  public void emit(String text) {
    if (output != null) {
      AtomicFiles.write(path(spec, output, "--output"), output, text);
    } else {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
    }
  }

  /**
   * A path the user typed for {@code what} (an option name or parameter label).
   *
   * @throws ParameterException (exit code 2) when it is not a valid path on this system
   */
  public static Path path(CommandSpec spec, String text, String what) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new ParameterException(
          spec.commandLine(), what + " '" + text + "' is not a valid path: " + e.getReason());
    }
  }
}
