package dev.tollgate.speckit.internal.tasks;

import dev.tollgate.speckit.internal.tasks.TasksDocument.CountClaim;
import dev.tollgate.speckit.internal.tasks.TasksDocument.Measure;
import dev.tollgate.speckit.internal.tasks.TasksDocument.ParallelClaim;
import dev.tollgate.speckit.internal.tasks.TasksDocument.TableRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SK024: the figures tasks.md declares (totals, summary tables, "N/M subtasks", counts of parallel
 * tasks) agree with the tasks, checkboxes and {@code [P]} markers counted.
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
    for (ParallelClaim c : doc.parallelClaims) {
      parallelClaim(doc, c, f);
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
    List<int[]> ranges = lc.ranges() == null ? List.of() : ranges(lc.ranges());
    if (!ranges.isEmpty()) {
      counted = inRanges(doc, ranges).size();
      what = "its id ranges (" + lc.ranges().strip() + ") hold " + tasks(counted);
    } else {
      Matcher story = STORY_NAMED.matcher(lc.label());
      Matcher phase = PHASE_NAMED.matcher(lc.label());
      if (story.lookingAt() && wholePart(lc.label(), story.end())) {
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
      } else if (phase.lookingAt()
          && phase.group(2) == null
          && wholePart(lc.label(), phase.end())) {
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
    int deferred;
    String what;
    Scope named = c.scope() instanceof Task ? null : scopeOf(doc, c.context());
    if (named != null && named.named()) {
      // "Phase 3 Status: complete (15/15 tasks)" written under a sub-heading of the phase.
      if (named.boxes() == null || named.boxes()[1] == 0) {
        return;
      }
      done = named.boxes()[0];
      all = named.boxes()[1];
      deferred = named.boxes()[2];
      what = named.name() + " has " + done + " of " + all + " checkboxes ticked";
    } else if (c.scope() instanceof Task t) {
      int[] b = t.subtaskBoxes();
      if (b[1] == 0) {
        return; // the subtasks are not written as checkboxes here: nothing to compare
      }
      done = b[0];
      all = b[1];
      deferred = b[2];
      what = "task " + t.id.text() + " has " + done + " of " + all + " subtask checkboxes ticked";
    } else if (c.scope() instanceof Group g && !g.nonTask) {
      int[] b = g.boxes();
      if (b[1] == 0) {
        return;
      }
      done = b[0];
      all = b[1];
      deferred = b[2];
      what = g.name() + " has " + done + " of " + all + " checkboxes ticked";
    } else {
      return;
    }
    // A [~] task is a task line but neither open nor done: "2/3 tasks" may count it in the total
    // (as totals do) or leave it out (as the boxes do).
    if (c.done() == done && (c.total() == all || c.total() == all + deferred)) {
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
    Measure measure = r.measure();
    if (measure == Measure.PARALLEL && !anyParallel(doc.tasks)) {
      return; // no task carries [P]: the file does not mark parallel work, nothing to compare
    }
    int expected;
    String what;
    Matcher m;
    List<int[]> ranges = r.ranges() == null ? List.of() : ranges(r.ranges());
    if (!ranges.isEmpty()) {
      List<Task> in = inRanges(doc, ranges);
      expected = count(in, measure);
      what = "its ids (" + r.ranges().strip() + ") hold " + tasks(expected) + suffix(measure);
    } else if (ROW_TOTAL.matcher(label).find()) {
      if (doc.tasks.isEmpty()) {
        return;
      }
      expected = count(doc.tasks, measure);
      what =
          "tasks.md has "
              + expected
              + switch (measure) {
                case TASKS -> " task lines";
                case DONE -> " tasks ticked";
                case PARALLEL -> " tasks marked [P]";
              };
    } else if ((m = ROW_PHASE.matcher(label)).find()) {
      String n = m.group(1) != null ? m.group(1) : m.group(2);
      Group g = doc.phase(n);
      if (g == null) {
        return; // an unknown phase in a table is not a count to compare
      }
      expected = measure == Measure.DONE ? g.boxes()[0] : count(g.tasks, measure);
      what = g.name() + " has " + tasks(expected) + suffix(measure);
    } else if ((m = ROW_STORY.matcher(label)).find()) {
      int n = TasksParser.parseInt(m.group(1));
      List<Task> story = story(doc, n);
      if (story.isEmpty()) {
        return;
      }
      expected = count(story, measure);
      what = "user story " + n + " has " + tasks(expected) + suffix(measure);
    } else {
      // A row named after a tag the tasks carry, such as [CORE] or [MODULE:auth].
      String tag = label.strip();
      if (tag.isEmpty() || tag.length() > 40 || tag.indexOf('[') >= 0) {
        return;
      }
      List<Task> tagged = new ArrayList<>();
      for (Task t : doc.tasks) {
        for (Task.Marker mk : t.markers) {
          String mt = mk.text().strip();
          if (mt.equalsIgnoreCase(tag)
              || mt.toUpperCase(Locale.ROOT).startsWith(tag.toUpperCase(Locale.ROOT) + ":")) {
            tagged.add(t);
            break;
          }
        }
      }
      if (tagged.isEmpty()) {
        return;
      }
      expected = count(tagged, measure);
      what =
          expected
              + " tasks are tagged ["
              + tag
              + "]"
              + switch (measure) {
                case TASKS -> "";
                case DONE -> " and ticked";
                case PARALLEL -> " and marked [P]";
              };
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

  /** "35 tasks marked with [P]": the [P] tasks of the part the line names, or of the file. */
  private static void parallelClaim(TasksDocument doc, ParallelClaim c, Findings f) {
    if (!anyParallel(doc.tasks)) {
      return;
    }
    String line = c.context();
    List<Task> part;
    String where;
    List<int[]> ids = ranges(line);
    String label = labelOf(line);
    if (!ids.isEmpty()) {
      // "Implementation: 7 tasks (T014-T020) - 2 [P]": about the tasks it lists.
      part = inRanges(doc, ids);
      where = "its ids hold ";
    } else if (label != null
        && !label.toLowerCase(Locale.ROOT).contains("parallel")
        && !label.contains("[P]")
        && !ROW_TOTAL.matcher(label).find()) {
      // "Phase 1 (Setup): 3 tasks marked [P]", "US1: 4 parallel": about that part, when the
      // label names it whole; "US1 Tests" or "Implementation" are parts the file does not mark.
      Matcher p = PHASE_NAMED.matcher(label);
      Matcher s = STORY_NAMED.matcher(label);
      if (p.lookingAt() && p.group(2) == null && wholePart(label, p.end())) {
        Group g = doc.phase(p.group(1));
        if (g == null) {
          return;
        }
        part = g.tasks;
        where = g.name() + " has ";
      } else if (s.lookingAt() && wholePart(label, s.end())) {
        int n = TasksParser.parseInt(s.group(1) != null ? s.group(1) : s.group(2));
        part = story(doc, n);
        if (part.isEmpty()) {
          return; // the story's tasks are not labelled
        }
        where = "user story " + n + " has ";
      } else {
        return;
      }
    } else if (PHASE_NAMED.matcher(line).find()
        || STORY_NAMED.matcher(line).find()
        || OTHER_SCOPE.matcher(line).find()) {
      return; // "within Phase 2", "after US1", "in the MVP": not a count this line delimits
    } else {
      part = doc.tasks;
      where = "tasks.md has ";
      if (c.scope() instanceof Group g
          && !g.nonTask
          && !g.tasks.isEmpty()
          && c.count() == count(g.tasks, Measure.PARALLEL)) {
        return; // written under a phase, about that phase
      }
    }
    int expected = count(part, Measure.PARALLEL);
    if (c.count() == expected) {
      return;
    }
    String text = quoted(line);
    if (text.length() > 80) {
      text = quoted(c.text());
    }
    f.add(
        "SK024",
        c.line(),
        c.column(),
        "'"
            + text
            + "' declares "
            + c.count()
            + " parallel tasks but "
            + where
            + tasks(expected)
            + " marked [P]",
        "Update the figure to " + expected + ", or mark the tasks that can run in parallel [P].");
  }

  /**
   * The label before a line's first colon ("Phase 1 (Setup)" in "- Phase 1 (Setup): …"), or null.
   */
  private static String labelOf(String line) {
    int colon = line.indexOf(':');
    if (colon < 0 || colon > 80) {
      return null;
    }
    String label = line.substring(0, colon).strip();
    label = label.replaceFirst("^(?:[-*+]|\\d{1,3}[.)])[ \\t]+", "").strip();
    return label.isEmpty() ? null : label;
  }

  /**
   * Whether a label that starts with a phase or story name is that part whole ("US1", "Phase 3 (US1
   * - MVP)", "User Story 2 - Login"), not a piece of it ("US1 Tests").
   */
  private static boolean wholePart(String label, int nameEnd) {
    String rest = label.substring(nameEnd).strip();
    return rest.isEmpty() || "([-–—".indexOf(rest.charAt(0)) >= 0;
  }

  private static List<Task> story(TasksDocument doc, int n) {
    List<Task> out = new ArrayList<>();
    for (Task t : doc.tasks) {
      if (servesStory(t, n)) {
        out.add(t);
      }
    }
    return out;
  }

  private static String suffix(Measure m) {
    return switch (m) {
      case TASKS -> "";
      case DONE -> " ticked";
      case PARALLEL -> " marked [P]";
    };
  }

  /** How many of the tasks the measure counts: all, the ticked ones, or those marked [P]. */
  private static int count(List<Task> ts, Measure m) {
    int n = 0;
    for (Task t : ts) {
      if (m == Measure.TASKS || (m == Measure.DONE ? t.done : parallel(t))) {
        n++;
      }
    }
    return n;
  }

  private static boolean parallel(Task t) {
    for (Task.Marker mk : t.markers) {
      if (mk.text().strip().equals("P")) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyParallel(List<Task> ts) {
    for (Task t : ts) {
      if (parallel(t)) {
        return true;
      }
    }
    return false;
  }

  /** The id ranges of a list such as "T001-T004, T035-T040", each {from, to}. */
  private static List<int[]> ranges(String text) {
    List<int[]> out = new ArrayList<>();
    Matcher r = RANGE.matcher(text);
    while (r.find()) {
      int from = TasksParser.parseInt(r.group(1));
      int to = r.group(2) == null ? from : TasksParser.parseInt(r.group(2));
      out.add(new int[] {Math.min(from, to), Math.max(from, to)});
    }
    return out;
  }

  /** The top-level T-numbered tasks whose number lies in one of the ranges. */
  private static List<Task> inRanges(TasksDocument doc, List<int[]> ranges) {
    List<Task> out = new ArrayList<>();
    for (Task t : doc.tasks) {
      if (t.parent != null || t.id.parts().size() != 1 || !t.id.prefix().equals("T")) {
        continue;
      }
      int n = t.id.parts().get(0);
      for (int[] g : ranges) {
        if (n >= g[0] && n <= g[1]) {
          out.add(t);
          break;
        }
      }
    }
    return out;
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
