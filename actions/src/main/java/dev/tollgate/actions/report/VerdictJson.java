package dev.tollgate.actions.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.GateStatus;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.policy.GateFinding;
import dev.tollgate.policy.GatedChange;
import dev.tollgate.policy.MergeGateResult;
import java.util.List;

/**
 * A merge gate's result as one JSON object ({@code "tool": "gate"}, schema version 1): the verdict,
 * base, head, policy, change counts, a summary and one entry per gate with its recovery and
 * findings, in the layout of {@link JsonText}. {@code docs/cli.md} describes the fields.
 */
final class VerdictJson {
  private VerdictJson() {}

  static String render(MergeGateResult result, RenderOptions options) {
    GatedChange s = result.change();
    ObjectNode root = JsonText.mapper().createObjectNode();
    root.put("schemaVersion", 1);
    root.put("tool", "gate");
    root.put("version", options.toolVersion());
    root.put("verdict", result.verdict().verdict().status().label());
    ObjectNode b = root.putObject("base");
    b.put("ref", s.baseRef());
    b.put("commit", s.baseCommit());
    ObjectNode h = root.putObject("head");
    h.put("ref", s.headRef());
    h.put("commit", s.headCommit());
    h.put("branch", s.branch().orElse(null));
    ObjectNode p = root.putObject("policy");
    p.put("file", s.policyFile());
    p.put("ref", s.policyRef().orElse(null));
    ObjectNode c = root.putObject("changes");
    c.put("files", s.changes().fileCount());
    c.put("added", s.changes().added());
    c.put("deleted", s.changes().deleted());
    List<GateResult> results = result.verdict().verdict().results();
    ObjectNode summary = root.putObject("summary");
    summary.put("gates", results.size());
    for (GateStatus st : GateStatus.values()) {
      summary.put(
          st == GateStatus.PASS ? "passed" : st == GateStatus.BLOCKED ? "blocked" : "errors",
          results.stream().filter(r -> r.status() == st).count());
    }
    ArrayNode gates = root.putArray("gates");
    for (GateResult r : results) {
      ObjectNode g = gates.addObject();
      g.put("gate", r.gate());
      g.put("status", r.status().label());
      g.put("reason", r.reason());
      if (r.recovery().isPresent()) {
        Recovery rec = r.recovery().get();
        ObjectNode o = g.putObject("recovery");
        o.put("cause", rec.cause());
        o.put("policyContext", rec.policyContext());
        o.put("nextStep", rec.nextStep());
        o.put("safeRetry", rec.safeRetry());
      } else {
        g.putNull("recovery");
      }
      ArrayNode places = g.putArray("findings");
      for (GateFinding f : result.verdict().findingsOf(r.gate())) {
        ObjectNode o = places.addObject();
        o.put("file", f.location().file());
        if (f.location().line() > 0) {
          o.put("line", f.location().line());
        } else {
          o.putNull("line");
        }
        if (f.location().column() > 0) {
          o.put("column", f.location().column());
        } else {
          o.putNull("column");
        }
        o.put("message", f.message());
      }
    }
    return JsonText.pretty(root);
  }
}
