package dev.tollgate.controlplane;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.Diagnostic;

/**
 * The JSON of a refused request: {@code {"error": {rule, severity, message, file, line, column,
 * hint, docs}}}, the keys of a finding in Tollgate's JSON reports, with {@code file}, {@code line}
 * and {@code column} {@code null} when the problem has no place in a file.
 */
final class Problems {
  private Problems() {}

  static ObjectNode body(Diagnostic d) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode e = root.putObject("error");
    e.put("rule", d.ruleId());
    e.put("severity", d.severity().label());
    e.put("message", d.message());
    if (d.location().file().isEmpty()) {
      e.putNull("file");
    } else {
      e.put("file", d.location().file());
    }
    if (d.location().line() > 0) {
      e.put("line", d.location().line());
    } else {
      e.putNull("line");
    }
    if (d.location().column() > 0) {
      e.put("column", d.location().column());
    } else {
      e.putNull("column");
    }
    e.put("hint", d.hint().orElse(null));
    e.put("docs", d.docsUrl().orElse(null));
    return root;
  }

  /**
   * A 400 carrying every one of {@code problems} as {@code problems}, the first as {@code error}.
   */
  static ApiException refusal(java.util.List<Diagnostic> problems) {
    ObjectNode extra = JsonNodeFactory.instance.objectNode();
    com.fasterxml.jackson.databind.node.ArrayNode all = extra.putArray("problems");
    for (Diagnostic d : problems) {
      all.add(body(d).get("error"));
    }
    return new ApiException(400, problems.get(0), extra);
  }
}
