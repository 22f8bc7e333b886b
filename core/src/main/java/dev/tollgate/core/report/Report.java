package dev.tollgate.core.report;

import static org.apiguardian.api.API.Status.STABLE;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Severity;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The result of a check, independent of how it is shown: what every renderer (text, JSON, Markdown,
 * SARIF, workflow commands) turns into output.
 *
 * @param tool the check that produced it, e.g. {@code spec-kit}
 * @param title a heading for people, e.g. "Spec Kit validation"
 * @param sections the findings grouped by what they are about, in stable order
 * @param rules the catalog of rules whose findings may appear
 * @param files how many files were read
 */
@API(status = STABLE, since = "0.1.0")
public record Report(
    String tool, String title, List<Section> sections, List<RuleDescriptor> rules, int files) {

  /** Copies the lists and sorts sections by path. */
  public Report {
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(title, "title");
    sections = sections.stream().sorted(Comparator.comparing(Section::path)).toList();
    rules = List.copyOf(rules);
    if (files < 0) {
      throw new IllegalArgumentException("files must not be negative but was " + files);
    }
  }

  /** Every finding of every section, in stable order. */
  public List<Diagnostic> findings() {
    return sections.stream().flatMap(s -> s.findings().stream()).sorted().toList();
  }

  /**
   * Counts of findings by severity, files and sections. The project-level section (empty path),
   * which holds findings about the project as a whole, is not counted as a section.
   */
  public Summary summary() {
    List<Diagnostic> all = findings();
    return new Summary(
        count(all, Severity.ERROR),
        count(all, Severity.WARNING),
        count(all, Severity.INFO),
        files,
        (int) sections.stream().filter(s -> !s.path().isEmpty()).count());
  }

  /**
   * Whether this report fails the check: any error, or with {@code strict} any warning too. Info
   * findings never fail.
   */
  public boolean failed(boolean strict) {
    Summary s = summary();
    return s.errors() > 0 || (strict && s.warnings() > 0);
  }

  private static int count(List<Diagnostic> all, Severity severity) {
    return (int) all.stream().filter(d -> d.severity() == severity).count();
  }
}
