package dev.tollgate.actions.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.report.Report;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a report holds, every annotation line the github format prints is one well-formed
 * command.
 */
class GithubEscapingProperties {

  @Provide
  Arbitrary<Report> reports() {
    return ReportArbitraries.report();
  }

  @Provide
  Arbitrary<RenderOptions> options() {
    return ReportArbitraries.options();
  }

  @Property(tries = 300)
  void every_annotation_is_one_line_with_properties_free_of_double_colons(
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
}
