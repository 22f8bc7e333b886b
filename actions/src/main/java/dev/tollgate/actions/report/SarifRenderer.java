package dev.tollgate.actions.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.report.Report;
import dev.tollgate.core.report.RuleDescriptor;
import dev.tollgate.core.report.Section;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The code-scanning format: a SARIF 2.1.0 log with one run, shaped for GitHub's {@code
 * upload-sarif} action.
 *
 * <p>GitHub needs a {@code region.startLine} of at least 1 to place an alert, so a finding about a
 * whole file is reported at line 1; an unknown column is left out (SARIF then means the whole
 * line). A finding with no file is anchored at its feature's folder or the project root. Paths are
 * percent-encoded relative URIs against {@code %SRCROOT%}.
 */
final class SarifRenderer implements ReportRenderer {

  static final String SCHEMA_URI =
      "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
  static final String TOOL_NAME = "Tollgate";
  static final String INFORMATION_URI = "https://github.com/tollgate-dev/tollgate";
  static final String SRCROOT = "%SRCROOT%";

  @Override
  public String render(Report report, RenderOptions options) {
    Map<String, RuleEntry> rules = ruleTable(report, options);
    Map<String, Integer> ruleIndex = new HashMap<>();
    for (String id : rules.keySet()) {
      ruleIndex.put(id, ruleIndex.size());
    }

    ObjectNode root = RenderSupport.mapper().createObjectNode();
    root.put("$schema", SCHEMA_URI);
    root.put("version", "2.1.0");
    ObjectNode run = root.putArray("runs").addObject();

    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", TOOL_NAME);
    driver.put("version", options.toolVersion());
    driver.put("informationUri", INFORMATION_URI);
    ArrayNode ruleNodes = driver.putArray("rules");
    for (RuleEntry rule : rules.values()) {
      ruleNodes.add(rule(rule));
    }

    // GitHub keeps alerts of different tools apart by this category.
    run.putObject("automationDetails").put("id", "tollgate/" + report.tool() + "/");
    run.put("columnKind", "utf16CodeUnits");

    Map<Diagnostic, Section> sectionOf = new IdentityHashMap<>();
    for (Section section : report.sections()) {
      section.findings().forEach(d -> sectionOf.put(d, section));
    }
    ArrayNode results = run.putArray("results");
    for (Diagnostic d : report.findings()) {
      ObjectNode r = results.addObject();
      r.put("ruleId", d.ruleId());
      r.put("ruleIndex", ruleIndex.get(d.ruleId()));
      r.put("level", RenderSupport.sarifLevel(d.severity()));
      r.putObject("message").put("text", messageText(d));
      Location l = d.location();
      ObjectNode physical = r.putArray("locations").addObject().putObject("physicalLocation");
      ObjectNode artifact = physical.putObject("artifactLocation");
      artifact.put("uri", uri(anchor(l.file(), sectionOf.get(d))));
      artifact.put("uriBaseId", SRCROOT);
      ObjectNode region = physical.putObject("region");
      region.put("startLine", Math.max(1, l.line()));
      if (l.column() > 0) {
        region.put("startColumn", l.column());
      }
    }
    return RenderSupport.pretty(root);
  }

  /**
   * The path a result is shown at. GitHub rejects the whole upload when one result has no location,
   * so a finding about a whole feature or project is anchored at the feature's folder, or at the
   * project root ({@code .}).
   */
  private static String anchor(String file, Section section) {
    if (!file.isEmpty()) {
      return file;
    }
    return section == null || section.path().isEmpty() ? "." : section.path();
  }

  /** One entry of the run's rule table. */
  private record RuleEntry(
      String id, Severity level, String title, String help, Optional<String> link) {}

  /**
   * The catalog rules in catalog order, then any rule a finding names that the catalog lacks, so
   * that every result has a {@code ruleIndex}.
   */
  private static Map<String, RuleEntry> ruleTable(Report report, RenderOptions options) {
    Map<String, RuleEntry> table = new LinkedHashMap<>();
    for (RuleDescriptor r : report.rules()) {
      table.putIfAbsent(
          r.id(),
          new RuleEntry(
              r.id(),
              r.defaultSeverity(),
              r.title(),
              r.help().isBlank() ? r.title() : r.help(),
              RenderSupport.ruleLink(r, options)));
    }
    Map<String, Diagnostic> missing = new TreeMap<>();
    for (Diagnostic d : report.findings()) {
      if (!table.containsKey(d.ruleId())) {
        missing.putIfAbsent(d.ruleId(), d);
      }
    }
    for (Diagnostic d : missing.values()) {
      table.put(
          d.ruleId(), new RuleEntry(d.ruleId(), d.severity(), d.ruleId(), d.ruleId(), d.docsUrl()));
    }
    return table;
  }

  private static ObjectNode rule(RuleEntry rule) {
    Optional<String> link = rule.link();
    ObjectNode node = RenderSupport.mapper().createObjectNode();
    node.put("id", rule.id());
    node.put("name", pascalCase(rule.title(), rule.id()));
    node.putObject("shortDescription").put("text", rule.title());
    node.putObject("fullDescription").put("text", rule.help());
    ObjectNode help = node.putObject("help");
    help.put("text", rule.help() + link.map(u -> "\n\nSee " + u).orElse(""));
    help.put(
        "markdown",
        rule.help() + link.map(u -> "\n\n[" + rule.id() + " documentation](" + u + ")").orElse(""));
    link.filter(SarifRenderer::isAbsoluteUri).ifPresent(u -> node.put("helpUri", u));
    node.putObject("defaultConfiguration").put("level", RenderSupport.sarifLevel(rule.level()));
    return node;
  }

  private static String messageText(Diagnostic d) {
    return d.message() + d.hint().map(h -> "\n\nHint: " + h).orElse("");
  }

  /** {@code duplicate task id} becomes {@code DuplicateTaskId}, SARIF's identifier-like name. */
  static String pascalCase(String title, String fallback) {
    StringBuilder b = new StringBuilder();
    boolean upper = true;
    for (int i = 0; i < title.length(); i++) {
      char c = title.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        b.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      } else {
        upper = true;
      }
    }
    return b.length() == 0 ? fallback : b.toString();
  }

  /** Percent-encodes a {@code /}-separated path into a relative URI reference (RFC 3986). */
  static String uri(String path) {
    StringBuilder b = new StringBuilder(path.length());
    for (byte raw : path.getBytes(StandardCharsets.UTF_8)) {
      int c = raw & 0xFF;
      boolean unreserved =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == '_'
              || c == '~'
              || c == '/';
      if (unreserved) {
        b.append((char) c);
      } else {
        b.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return b.toString();
  }

  private static boolean isAbsoluteUri(String s) {
    try {
      java.net.URI u = new java.net.URI(s);
      return u.isAbsolute();
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }
}
