package dev.tollgate.cli.items;

import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.policy.ActionView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Plain-text building blocks of the work-item commands: aligned tables and gate explanations. */
public final class ItemsText {
  private ItemsText() {}

  /**
   * An aligned table: a header row and one line per row, columns separated by two spaces, the last
   * column unpadded, each line ending with a newline.
   */
  static String table(List<String> headers, List<List<String>> rows) {
    int[] widths = new int[headers.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int c = 0; c < row.size(); c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.size(); c++) {
        String cell = row.get(c);
        line.append(cell);
        if (c < row.size() - 1) {
          line.append(" ".repeat(widths[c] - cell.length() + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** The value or {@code -}. */
  static String or(Optional<String> value) {
    return value.orElse("-");
  }

  /** The value or {@code -}. */
  static String or(OptionalInt value) {
    return value.isPresent() ? Integer.toString(value.getAsInt()) : "-";
  }

  /**
   * One line naming an action and whether it is enabled, e.g. {@code enabled start-execution Start
   * execution (ready → in-progress)}.
   */
  static String headline(ActionView view) {
    return (view.enabled() ? "enabled" : "blocked")
        + "  "
        + view.identity()
        + "  "
        + view.title()
        + view.transition().map(t -> " (" + t + ")").orElse("");
  }

  /**
   * Each gate's result on one line, {@code pass lane-transition: reason}, and under each gate that
   * did not pass its cause, policy, next step and safe retry; every line indented by {@code
   * indent}.
   */
  static String gates(List<GateResult> results, String indent) {
    StringBuilder out = new StringBuilder();
    for (GateResult r : results) {
      out.append(indent)
          .append(r.status().label())
          .append(' ')
          .append(r.gate())
          .append(": ")
          .append(r.reason())
          .append('\n');
      r.recovery().ifPresent(g -> out.append(recovery(g, indent + "  ")));
    }
    return out.toString();
  }

  /** The four parts of recovery guidance, one per line, indented by {@code indent}. */
  static String recovery(Recovery g, String indent) {
    return indent
        + "cause: "
        + g.cause()
        + '\n'
        + indent
        + "policy: "
        + g.policyContext()
        + '\n'
        + indent
        + "next step: "
        + g.nextStep()
        + '\n'
        + indent
        + "safe retry: "
        + g.safeRetry()
        + '\n';
  }
}
