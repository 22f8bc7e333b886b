package dev.tollgate.speckit.internal.tasks;

import dev.tollgate.speckit.internal.tasks.TasksDocument.CountClaim;
import dev.tollgate.speckit.internal.tasks.TasksDocument.TableRow;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SK024: the figures tasks.md declares (totals, summary tables, "N/M subtasks") agree with the
 * tasks and checkboxes counted.
 */
final class CountRules {
  private CountRules() {}

  private static final Pattern ROW_PHASE =
      Pattern.compile(
          "(?i)^phase[ \\t]+(\\d{1,4}(?:\\.\\d{1,4}){0,3})\\b|^(\\d{1,4}(?:\\.\\d{1,4}){0,3})$");
  private static final Pattern ROW_STORY =
      Pattern.compile("(?i)^(?:US|user[ \\t]+story[ \\t]+)(\\d{1,6})\\b");
  private static final Pattern ROW_TOTAL = Pattern.compile("(?i)^(?:total|all|sum|overall)\\b");

  static void check(TasksDocument doc, Findings f) {
    int total = doc.tasks.size();
    for (CountClaim c : doc.claims) {
      if (c.done() < 0) {
        totalClaim(doc, c, total, f);
      } else {
        fraction(c, f);
      }
    }
    for (TableRow r : doc.tableRows) {
      row(doc, r, f);
    }
  }

  private static void totalClaim(TasksDocument doc, CountClaim c, int total, Findings f) {
    if (total == 0) {
      return; // nothing counted: a template or a plan without tasks, not a wrong figure
    }
    int groupCount = -1;
    if (c.scope() instanceof Group g && !g.nonTask && g.tasks.size() > 0) {
      groupCount = g.tasks.size();
    }
    if (c.total() == total || c.total() == groupCount) {
      return;
    }
    boolean inGroup = groupCount >= 0;
    f.add(
        "SK024",
        c.line(),
        c.column(),
        "'"
            + quoted(c.text())
            + "' declares "
            + c.total()
            + " tasks but "
            + (inGroup
                ? ((Group) c.scope()).name() + " has " + groupCount
                : "tasks.md has " + total)
            + " task lines",
        "Update the figure to " + (inGroup ? groupCount : total) + ", or add the missing tasks.");
  }

  private static void fraction(CountClaim c, Findings f) {
    int done;
    int all;
    String what;
    if (c.scope() instanceof Task t) {
      int[] b = t.subtaskBoxes();
      if (b[1] == 0) {
        return; // the subtasks are not written as checkboxes here: nothing to compare
      }
      done = b[0];
      all = b[1];
      what = "task " + t.id.text() + " has " + done + " of " + all + " subtask checkboxes ticked";
    } else if (c.scope() instanceof Group g && !g.nonTask) {
      int[] b = g.boxes();
      if (b[1] == 0) {
        return;
      }
      done = b[0];
      all = b[1];
      what = g.name() + " has " + done + " of " + all + " checkboxes ticked";
    } else {
      return;
    }
    if (c.done() == done && c.total() == all) {
      return;
    }
    f.add(
        "SK024",
        c.line(),
        c.column(),
        "'" + quoted(c.text()) + "' disagrees with the checkboxes: " + what,
        "Write " + done + "/" + all + ", or tick the boxes of the work that is done.");
  }

  private static void row(TasksDocument doc, TableRow r, Findings f) {
    String label = r.label();
    int expected = -1;
    String what = null;
    Matcher m;
    if (ROW_TOTAL.matcher(label).find()) {
      if (doc.tasks.isEmpty()) {
        return;
      }
      expected = r.doneColumn() ? doneOf(doc) : doc.tasks.size();
      what = "tasks.md has " + expected + (r.doneColumn() ? " tasks ticked" : " task lines");
    } else if ((m = ROW_PHASE.matcher(label)).find()) {
      String n = m.group(1) != null ? m.group(1) : m.group(2);
      Group g = doc.phase(n);
      if (g == null) {
        return; // an unknown phase in a table is not a count to compare
      }
      expected = r.doneColumn() ? g.boxes()[0] : g.tasks.size();
      what = g.name() + " has " + tasks(expected) + (r.doneColumn() ? " ticked" : "");
    } else if ((m = ROW_STORY.matcher(label)).find()) {
      int n = TasksParser.parseInt(m.group(1));
      int count = 0;
      int done = 0;
      for (Task t : doc.tasks) {
        if (servesStory(t, n)) {
          count++;
          if (t.done) {
            done++;
          }
        }
      }
      if (count == 0) {
        return;
      }
      expected = r.doneColumn() ? done : count;
      what = "user story " + n + " has " + tasks(expected) + (r.doneColumn() ? " ticked" : "");
    } else {
      // A row named after a tag the tasks carry, such as [CORE] or [MODULE:auth].
      String tag = label.strip();
      if (tag.isEmpty() || tag.length() > 40 || tag.indexOf('[') >= 0) {
        return;
      }
      int count = 0;
      int done = 0;
      for (Task t : doc.tasks) {
        for (Task.Marker mk : t.markers) {
          String mt = mk.text().strip();
          if (mt.equalsIgnoreCase(tag)
              || mt.toUpperCase(Locale.ROOT).startsWith(tag.toUpperCase(Locale.ROOT) + ":")) {
            count++;
            if (t.done) {
              done++;
            }
            break;
          }
        }
      }
      if (count == 0) {
        return;
      }
      expected = r.doneColumn() ? done : count;
      what = expected + " tasks are tagged [" + tag + "]" + (r.doneColumn() ? " and ticked" : "");
    }
    if (expected == r.value()) {
      return;
    }
    f.add(
        "SK024",
        r.line(),
        r.column(),
        "summary table row '"
            + label
            + "' says "
            + r.value()
            + " in column '"
            + r.header()
            + "' but "
            + what,
        "Update the table to " + expected + " (recount after adding or removing tasks).");
  }

  private static String tasks(int n) {
    return n == 1 ? "1 task" : n + " tasks";
  }

  private static boolean servesStory(Task t, int n) {
    for (Task.Marker mk : t.markers) {
      if (mk.text().strip().equals("US" + n)) {
        return true;
      }
    }
    return t.group != null && t.group.kind == Group.Kind.STORY && t.group.story == n;
  }

  private static int doneOf(TasksDocument doc) {
    int n = 0;
    for (Task t : doc.tasks) {
      if (t.done) {
        n++;
      }
    }
    return n;
  }

  /**
   * The claim as a person reads it: emphasis markers are masked to spaces when the text is scanned,
   * so runs of blanks collapse and a blank before punctuation goes.
   */
  static String quoted(String text) {
    return text.replaceAll("[ \\t]+([:,.;)])", "$1").replaceAll("[ \\t]{2,}", " ").trim();
  }
}
