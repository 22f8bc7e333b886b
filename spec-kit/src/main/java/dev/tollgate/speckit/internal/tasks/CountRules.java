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
        fraction(doc, c, f);
      }
    }
    for (TableRow r : doc.tableRows) {
      row(doc, r, f);
    }
    for (TasksDocument.LabelCount lc : doc.labelCounts) {
      labelCount(doc, lc, f);
    }
  }

  private static final Pattern PHASE_NAMED =
      Pattern.compile(
          "(?i)\\bphases?[ \\t]+(\\d{1,4}(?:\\.\\d{1,4})?)(?:[ \\t]*(?:-|–|to|through)[ \\t]*(\\d{1,4}))?");
  private static final Pattern STORY_NAMED =
      Pattern.compile(
          "(?i)\\buser[ \\t]+stor(?:y|ies)[ \\t]+(\\d{1,6})|(?<![-\\w])US(\\d{1,6})\\b");
  private static final Pattern OTHER_SCOPE =
      Pattern.compile("(?i)\\b(?:mvp|setup|foundational|foundation|polish|increment|iteration)\\b");

  /** The part of the file a line's figure is about, when the line names one. */
  private record Scope(boolean named, String name, int count, int[] boxes) {}

  private static Scope scopeOf(TasksDocument doc, String context) {
    if (context == null) {
      return new Scope(false, null, -1, null);
    }
    Matcher p = PHASE_NAMED.matcher(context);
    if (p.find()) {
      if (p.group(2) != null) {
        if (p.group(1).indexOf('.') >= 0) {
          return new Scope(true, null, -1, null); // "Phase 9.5 - 10": not a range of numbers
        }
        int from = TasksParser.parseInt(p.group(1));
        int to = TasksParser.parseInt(p.group(2));
        int count = 0;
        for (int i = from; i <= to && i - from < 100; i++) {
          Group g = doc.phase(Integer.toString(i));
          if (g == null) {
            return new Scope(true, null, -1, null);
          }
          count += g.tasks.size();
        }
        return new Scope(true, "phases " + from + "-" + to, count, null);
      }
      Group g = doc.phase(p.group(1));
      return g == null
          ? new Scope(true, null, -1, null)
          : new Scope(true, g.name(), g.tasks.size(), g.boxes());
    }
    Matcher s = STORY_NAMED.matcher(context);
    if (s.find() || OTHER_SCOPE.matcher(context).find()) {
      // A story or an increment ("MVP", "Setup + Foundational", "Add User Story 2 → …"): counted
      // up to that point or for that part only, which a file total cannot check.
      return new Scope(true, null, -1, null);
    }
    return new Scope(false, null, -1, null);
  }

  /** "US1: 30 tasks", "Phase 2: 8 tasks", "Setup & Polish: 11 tasks (T001-T004, T035-T040)". */
  private static void labelCount(TasksDocument doc, TasksDocument.LabelCount lc, Findings f) {
    if (doc.tasks.isEmpty()) {
      return;
    }
    int counted = -1;
    String what = null;
    if (lc.ranges() != null) {
      java.util.List<int[]> ranges = new java.util.ArrayList<>();
      Matcher r = RANGE.matcher(lc.ranges());
      while (r.find()) {
        int from = TasksParser.parseInt(r.group(1));
        int to = r.group(2) == null ? from : TasksParser.parseInt(r.group(2));
        ranges.add(new int[] {Math.min(from, to), Math.max(from, to)});
      }
      if (ranges.isEmpty()) {
        return;
      }
      counted = 0;
      for (Task t : doc.tasks) {
        if (t.parent != null || t.id.parts().size() != 1 || !t.id.prefix().equals("T")) {
          continue;
        }
        int n = t.id.parts().get(0);
        for (int[] g : ranges) {
          if (n >= g[0] && n <= g[1]) {
            counted++;
            break;
          }
        }
      }
      what = "its id ranges (" + lc.ranges().strip() + ") hold " + tasks(counted);
    } else {
      Matcher story = STORY_NAMED.matcher(lc.label());
      Matcher phase = PHASE_NAMED.matcher(lc.label());
      if (story.lookingAt() || story.find() && story.start() == 0) {
        int n = TasksParser.parseInt(story.group(1) != null ? story.group(1) : story.group(2));
        counted = 0;
        for (Task t : doc.tasks) {
          if (t.parent == null && servesStory(t, n)) {
            counted++;
          }
        }
        if (counted == 0) {
          return; // the story's tasks are not labelled: nothing to compare
        }
        what = "user story " + n + " has " + tasks(counted);
      } else if (phase.lookingAt() && phase.group(2) == null) {
        Group g = doc.phase(phase.group(1));
        if (g == null) {
          return;
        }
        counted = g.tasks.size();
        what = g.name() + " has " + tasks(counted);
      } else {
        return;
      }
    }
    if (counted == lc.count()) {
      return;
    }
    f.add(
        "SK024",
        lc.line(),
        lc.column(),
        "'" + quoted(lc.text()) + "' declares " + lc.count() + " tasks but " + what,
        "Update the figure to " + counted + ", or list the tasks it counts.");
  }

  private static final Pattern RANGE =
      Pattern.compile("\\bT(\\d{1,6})\\b(?:[ \\t]*(?:-|–|—|to|through)[ \\t]*T?(\\d{1,6})\\b)?");

  private static void totalClaim(TasksDocument doc, CountClaim c, int total, Findings f) {
    if (total == 0) {
      return; // nothing counted: a template or a plan without tasks, not a wrong figure
    }
    Scope named = scopeOf(doc, c.context());
    if (named.named()) {
      if (named.count() < 0 || named.count() == c.total()) {
        return; // about a part of the file that cannot be counted, or counted right
      }
      f.add(
          "SK024",
          c.line(),
          c.column(),
          "'"
              + quoted(c.text())
              + "' declares "
              + c.total()
              + " tasks but "
              + named.name()
              + " has "
              + tasks(named.count()),
          "Update the figure to " + named.count() + ", or add the missing tasks.");
      return;
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

  private static void fraction(TasksDocument doc, CountClaim c, Findings f) {
    int done;
    int all;
    String what;
    Scope named = c.scope() instanceof Task ? null : scopeOf(doc, c.context());
    if (named != null && named.named()) {
      // "Phase 3 Status: complete (15/15 tasks)" written under a sub-heading of the phase.
      if (named.boxes() == null || named.boxes()[1] == 0) {
        return;
      }
      done = named.boxes()[0];
      all = named.boxes()[1];
      what = named.name() + " has " + done + " of " + all + " checkboxes ticked";
    } else if (c.scope() instanceof Task t) {
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
