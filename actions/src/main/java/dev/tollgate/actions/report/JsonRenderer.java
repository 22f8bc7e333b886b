package dev.tollgate.actions.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Severity;
import dev.tollgate.core.report.Report;
import dev.tollgate.core.report.Section;
import dev.tollgate.core.report.Summary;

/**
 * The machine-readable format: one pretty-printed JSON object described by {@code
 * docs/schemas/spec-kit-report.schema.json}.
 *
 * <p>Every key is always present so that consumers need no existence checks; unknown values (a line
 * or column of a whole-file finding, a missing hint or docs link) are {@code null}.
 */
final class JsonRenderer implements ReportRenderer {

  /** The version of the output shape; raised only on an incompatible change. */
  static final int SCHEMA_VERSION = 1;

  @Override
  public String render(Report report, RenderOptions options) {
    ObjectNode root = RenderSupport.mapper().createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("tool", report.tool());
    root.put("title", report.title());
    root.put("version", options.toolVersion());
    root.put("verdict", RenderSupport.verdict(report, options));
    root.put("strict", options.strict());

    Summary s = report.summary();
    ObjectNode summary = root.putObject("summary");
    summary.put("errors", s.errors());
    summary.put("warnings", s.warnings());
    summary.put("infos", s.infos());
    summary.put("files", s.files());
    summary.put("features", s.sections());

    ArrayNode features = root.putArray("features");
    for (Section section : report.sections()) {
      ObjectNode f = features.addObject();
      f.put("name", section.name());
      f.put("path", section.path());
      f.put("errors", count(section, Severity.ERROR));
      f.put("warnings", count(section, Severity.WARNING));
      f.put("infos", count(section, Severity.INFO));
    }

    ArrayNode findings = root.putArray("findings");
    for (Diagnostic d : report.findings()) {
      ObjectNode f = findings.addObject();
      f.put("rule", d.ruleId());
      f.put("severity", d.severity().label());
      f.put("message", d.message());
      f.put("file", d.location().file());
      putPositive(f, "line", d.location().line());
      putPositive(f, "column", d.location().column());
      f.put("hint", d.hint().orElse(null));
      f.put("docs", RenderSupport.docsLink(report, d, options).orElse(null));
    }
    return RenderSupport.pretty(root);
  }

  private static void putPositive(ObjectNode node, String key, int value) {
    if (value > 0) {
      node.put(key, value);
    } else {
      node.putNull(key);
    }
  }

  private static int count(Section section, Severity severity) {
    return (int) section.findings().stream().filter(d -> d.severity() == severity).count();
  }
}
