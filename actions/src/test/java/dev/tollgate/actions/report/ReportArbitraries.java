package dev.tollgate.actions.report;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.report.Report;
import dev.tollgate.core.report.RuleDescriptor;
import dev.tollgate.core.report.Section;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators for reports with arbitrary text: any character, including controls and surrogates. */
final class ReportArbitraries {

  private ReportArbitraries() {}

  static Arbitrary<String> anyText(int maxLength) {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(maxLength),
        Arbitraries.strings()
            .withChars("|<>`*_[]$@&%:,\r\n\t\\ éü✅\u202E\u0000\u001B")
            .ofMaxLength(maxLength),
        Arbitraries.strings().alpha().numeric().ofMaxLength(maxLength));
  }

  static Arbitrary<String> nonBlank(int maxLength) {
    return anyText(maxLength).filter(s -> !s.isBlank());
  }

  static Arbitrary<String> path() {
    return anyText(60).map(s -> s.replace('\\', '/'));
  }

  static Arbitrary<Location> location() {
    return Combinators.combine(
            path(),
            Arbitraries.integers().between(0, 5_000),
            Arbitraries.integers().between(0, 300))
        .as((file, line, column) -> new Location(file, line, line == 0 ? 0 : column));
  }

  static Arbitrary<Diagnostic> diagnostic(int maxMessage) {
    Arbitrary<String> ruleId =
        Arbitraries.oneOf(
            Arbitraries.of("SK004", "SK019", "SK020", "SK029", "SK999"), nonBlank(12));
    return Combinators.combine(
            Arbitraries.of(Severity.class),
            ruleId,
            nonBlank(maxMessage),
            location(),
            anyText(80).optional(),
            anyText(40).optional())
        .as(
            (severity, rule, message, location, hint, docs) ->
                new Diagnostic(severity, rule, message, location, hint, docs));
  }

  static Arbitrary<Section> section(int maxFindings, int maxMessage) {
    return Combinators.combine(
            anyText(30), path(), diagnostic(maxMessage).list().ofMaxSize(maxFindings))
        .as(Section::new);
  }

  static Arbitrary<Report> report(int maxSections, int maxFindings, int maxMessage) {
    return Combinators.combine(
            anyText(20),
            anyText(40),
            section(maxFindings, maxMessage).list().ofMaxSize(maxSections),
            Arbitraries.integers().between(0, 10_000))
        .as((tool, title, sections, files) -> new Report(tool, title, sections, rules(), files));
  }

  static Arbitrary<Report> report() {
    return report(4, 12, 200);
  }

  static Arbitrary<RenderOptions> options() {
    return Combinators.combine(
            Arbitraries.of(true, false),
            Arbitraries.oneOf(Arbitraries.just(RenderOptions.DEFAULT_DOCS_BASE_URL), anyText(30)),
            anyText(10),
            Arbitraries.integers().between(1, 200))
        .as(RenderOptions::new);
  }

  private static List<RuleDescriptor> rules() {
    return SampleReports.RULES;
  }
}
