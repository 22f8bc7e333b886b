package dev.tollgate.cli.items;

import dev.tollgate.core.workitem.FieldChange;
import dev.tollgate.core.workitem.HistoryEntry;
import dev.tollgate.policy.WorkItemWrite;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** What {@code items create} and {@code items set} share: date input and how a write is shown. */
public final class ItemsWrites {
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

  private ItemsWrites() {}

  /** Parses a calendar date given as {@code YYYY-MM-DD} to {@code option}. */
  static LocalDate date(String option, String text, BoardOptions options) {
    try {
      if (DATE.matcher(text).matches()) {
        return LocalDate.parse(text);
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw options.usage(option + " must be a real date YYYY-MM-DD but was '" + text + "'");
  }

  /** Prints {@code write} as the library's JSON, or as text saying what changed. */
  static void print(WorkItemWrite write, boolean json, PrintWriter out) {
    out.print(json ? ItemsJson.write(write.toJson()) : text(write));
    out.flush();
  }

  /**
   * {@code wi-1: updated by alice}, one line per changed field, the history entry and the file
   * written; or {@code wi-1: nothing to change} when nothing was written.
   */
  static String text(WorkItemWrite write) {
    String id = write.item().id();
    if (!write.written()) {
      return id + ": nothing to change; it already has these values\n";
    }
    boolean created = write.kind() == WorkItemWrite.Kind.CREATE;
    StringBuilder out = new StringBuilder();
    out.append(id)
        .append(created ? ": created by " : ": updated by ")
        .append(write.actor())
        .append('\n');
    for (FieldChange c : write.changes()) {
      String value = created && !c.listEntry() ? c.to().orElse("-") : c.describe();
      field(out, c.field(), value);
    }
    HistoryEntry h = write.entry().orElseThrow();
    field(out, "history", "+ " + h.at() + " " + h.actor() + " " + h.action());
    out.append("Wrote ").append(write.file()).append('\n');
    return out.toString();
  }

  private static void field(StringBuilder out, String name, String value) {
    out.append("  ").append(name).append(" ".repeat(Math.max(1, 9 - name.length())));
    out.append(value).append('\n');
  }
}
