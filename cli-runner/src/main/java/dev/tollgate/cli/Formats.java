package dev.tollgate.cli;

import dev.tollgate.actions.report.ReportFormat;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Parsing of the {@code --format} option shared by the commands that print reports. */
final class Formats {
  private Formats() {}

  /**
   * The report format a user typed.
   *
   * @throws ParameterException (exit code 2) naming the accepted formats when it is unknown
   */
  static ReportFormat report(CommandSpec spec, String format) {
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
}
