package dev.tollgate.actions.report;

import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.GateStatus;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.core.repo.CommitInfo;
import dev.tollgate.policy.GateFinding;
import dev.tollgate.policy.GatedChange;
import dev.tollgate.policy.MergeGateResult;
import java.util.List;

/**
 * A merge gate's result as text for a terminal: the verdict line, the change and the policy, then
 * one line per gate and, under each gate that did not pass, where, why and how to fix it. Text from
 * the repository is escaped as {@link ControlCharacters#escape} does, so it stays on its line.
 */
final class VerdictText {
  private VerdictText() {}

  static String render(MergeGateResult result, RenderOptions options) {
    GatedChange s = result.change();
    StringBuilder out = new StringBuilder();
    List<GateResult> results = result.verdict().verdict().results();
    long blocked = results.stream().filter(r -> r.status() == GateStatus.BLOCKED).count();
    long errors = results.stream().filter(r -> r.status() == GateStatus.ERROR).count();
    out.append("merge gate: ")
        .append(result.verdict().verdict().status().label())
        .append(" (")
        .append(results.size() - blocked - errors)
        .append(" of ")
        .append(results.size())
        .append(" gates pass")
        .append(blocked > 0 ? ", " + blocked + " blocked" : "")
        .append(errors > 0 ? ", " + errors + " could not decide" : "")
        .append(")\n");
    out.append("change: ")
        .append(ControlCharacters.escape(s.baseRef()))
        .append(" (")
        .append(CommitInfo.abbreviate(s.baseCommit()))
        .append(") → ")
        .append(ControlCharacters.escape(s.headRef()))
        .append(" (")
        .append(CommitInfo.abbreviate(s.headCommit()))
        .append(")")
        .append(s.branch().map(b -> " on " + ControlCharacters.escape(b)).orElse(""))
        .append(": ")
        .append(s.changes().fileCount())
        .append(s.changes().fileCount() == 1 ? " file" : " files")
        .append(", +")
        .append(s.changes().added())
        .append(" -")
        .append(s.changes().deleted())
        .append(" lines\n");
    out.append("policy: ")
        .append(ControlCharacters.escape(s.policyFile()))
        .append(s.policyRef().map(r -> " as of " + ControlCharacters.escape(r)).orElse(""))
        .append("\n\n");
    int width = results.stream().mapToInt(r -> r.gate().length()).max().orElse(0);
    for (GateResult r : results) {
      out.append(String.format("%-7s ", r.status().label()))
          .append(r.gate())
          .append(" ".repeat(width - r.gate().length()))
          .append("  ")
          .append(ControlCharacters.escape(r.reason()))
          .append('\n');
      if (r.status() != GateStatus.PASS) {
        Recovery g = r.recovery().orElseThrow();
        for (GateFinding p : result.verdict().findingsOf(r.gate())) {
          out.append("    at ")
              .append(ControlCharacters.escape(p.location().toString()))
              .append(": ")
              .append(ControlCharacters.escape(p.message()))
              .append('\n');
        }
        out.append("    cause: ").append(ControlCharacters.escape(g.cause())).append('\n');
        out.append("    policy: ").append(ControlCharacters.escape(g.policyContext())).append('\n');
        out.append("    next step: ").append(ControlCharacters.escape(g.nextStep())).append('\n');
        out.append("    safe retry: ").append(ControlCharacters.escape(g.safeRetry())).append('\n');
      }
    }
    return out.toString();
  }
}
