package dev.tollgate.actions.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.report.Report;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The workflow-command escaping keeps user text from ending or forging a command. */
class GithubEscapingProperties {

  @Provide
  Arbitrary<String> text() {
    return ReportArbitraries.anyText(120);
  }

  @Property
  void escapedDataHasNoLineBreaks(@ForAll("text") String text) {
    assertThat(GithubRenderer.escapeData(text)).doesNotContain("\n", "\r");
  }

  @Property
  void escapedPropertiesHaveNoLineBreaksColonsOrCommas(@ForAll("text") String text) {
    assertThat(GithubRenderer.escapeProperty(text)).doesNotContain("\n", "\r", ":", ",");
  }

  @Property
  void escapingIsUndoneExactlyByTheRunnersUnescaping(@ForAll("text") String text) {
    assertThat(unescape(GithubRenderer.escapeData(text))).isEqualTo(text);
    assertThat(unescape(GithubRenderer.escapeProperty(text))).isEqualTo(text);
  }

  @Provide
  Arbitrary<Report> reports() {
    return ReportArbitraries.report();
  }

  @Provide
  Arbitrary<RenderOptions> options() {
    return ReportArbitraries.options();
  }

  @Property(tries = 300)
  void everyAnnotationIsOneLineWithPropertiesFreeOfDoubleColons(
      @ForAll("reports") Report report, @ForAll("options") RenderOptions options) {
    String out = ReportRenderer.of(ReportFormat.GITHUB).render(report, options);
    assertThat(out).doesNotContain("\r");
    for (String line : out.split("\n")) {
      if (line.startsWith("::")) {
        int end = line.indexOf("::", 2);
        assertThat(end).as(line).isPositive();
        String head = line.substring(2, end);
        assertThat(head).matches("(error|warning|notice)( [a-z]+=[^,:]*(,[a-z]+=[^,:]*)*)?");
      }
    }
  }

  /** The Actions runner's unescaping, applied in its order: {@code %25} last. */
  private static String unescape(String s) {
    return s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%");
  }
}
