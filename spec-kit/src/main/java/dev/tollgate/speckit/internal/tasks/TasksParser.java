package dev.tollgate.speckit.internal.tasks;

import dev.tollgate.speckit.internal.shared.SourceFile;
import dev.tollgate.speckit.internal.tasks.TasksDocument.Citation;
import dev.tollgate.speckit.internal.tasks.TasksDocument.CountClaim;
import dev.tollgate.speckit.internal.tasks.TasksDocument.Dependency;
import dev.tollgate.speckit.internal.tasks.TasksDocument.Malformed;
import dev.tollgate.speckit.internal.tasks.TasksDocument.Measure;
import dev.tollgate.speckit.internal.tasks.TasksDocument.Problem;
import dev.tollgate.speckit.internal.tasks.TasksDocument.Ref;
import dev.tollgate.speckit.internal.tasks.TasksDocument.RefKind;
import dev.tollgate.speckit.internal.tasks.TasksDocument.TableRow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.Heading;
import org.commonmark.node.ListBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SourceSpan;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * The reader of tasks.md: one commonmark pass with source positions, then line-level patterns on
 * each heading, list item and paragraph line. Code blocks, HTML blocks and YAML front matter are
 * skipped, so tasks quoted in examples are not tasks.
 */
final class TasksParser {
  private static final Parser PARSER =
      Parser.builder().includeSourceSpans(IncludeSourceSpans.BLOCKS_AND_INLINES).build();
  private static final Pattern STATUS_HINT = Pattern.compile("(?i)^[ \\t]*status\\b");
  private static final Pattern TABLE_DELIMITER =
      Pattern.compile(
          "^[ \\t]*\\|?[ \\t]*:?-{1,200}:?[ \\t]*(?:\\|[ \\t]*:?-{0,200}:?[ \\t]*){0,50}\\|?[ \\t]*$");
  private static final Pattern COUNT_HEADER =
      Pattern.compile("(?i)\\b(?:tasks?|count|total|number|qty)\\b|^#$");
  private static final Pattern PARALLEL_HEADER = Pattern.compile("(?i)\\bparallel|\\[P]|^P$");

  /** A cell that only lists task ids and ranges: "T001-T004", "T001–T004, T035-T040". */
  private static final Pattern ID_RANGES =
      Pattern.compile(
          "T\\d{1,6}(?:[ \\t]*(?:-|–|—|to|through)[ \\t]*T?\\d{1,6})?"
              + "(?:[ \\t]*[,;][ \\t]*T\\d{1,6}(?:[ \\t]*(?:-|–|—|to|through)[ \\t]*T?\\d{1,6})?)*");

  private static final Pattern DONE_HEADER =
      Pattern.compile("(?i)\\b(?:done|completed?|finished)\\b");
  private static final Pattern TABLE_CONTEXT =
      Pattern.compile("(?i)summary|task|classification|progress|count|breakdown|overview");
  private static final Pattern PHASE_START =
      Pattern.compile("^[^A-Za-z0-9]{0,8}(?i:phase)[ \\t]+(\\d{1,4}(?:\\.\\d{1,4}){0,3})\\b");

  /**
   * A group heading: {@code Group T2 …}, or a heading that starts with a task-style id followed by
   * a colon, a dash or a bracketed marker ({@code T1: Export records}, {@code T2.1 - Writer},
   * {@code T009 [SLICE] User creates…}), optionally after a checkbox ({@code [X] T005 …}), as
   * classic kits and kits that write one task per heading do.
   */
  private static final Pattern GROUP_START =
      Pattern.compile(
          "^[^A-Za-z0-9]{0,8}(?:\\[[ xX]\\][ \\t]*)?(?:Group[ \\t]+([A-Z]{0,3}\\d{1,9}(?:\\.\\d{1,9}){0,6})\\b"
              + "|([A-Z]{1,3}\\d{1,9}(?:\\.\\d{1,9}){0,6})(?=[ \\t]*:|[ \\t]+[-\u2013\u2014][ \\t]"
              + "|[ \\t]+\\[))");

  // Group numbers of Syntax.ITEM's "box" and "id" (cheaper than looking the names up).
  private static final int ITEM_BOX = 1;
  private static final int ITEM_ID = 3;

  /** A line of a block: 1-based line and column of {@code text}'s first character. */
  private record Line(int line, int column, String text) {}

  private final SourceFile file;
  private final TasksDocument doc;
  private final Deque<Group> headings = new ArrayDeque<>();

  // Matchers reused for every line of this file (reset() clears all but the bounds' settings).
  private final Matcher item = Syntax.ITEM.matcher("");
  private final Matcher marker = Syntax.MARKER.matcher("");
  private final Matcher specId = Syntax.SPEC_ID.matcher("").useTransparentBounds(true);

  private TasksParser(SourceFile file) {
    this.file = file;
    this.doc = new TasksDocument(file);
  }

  /** Reads one tasks.md into its model. */
  static TasksDocument parse(SourceFile file) {
    return parse(file, PARSER.parse(withoutFrontMatter(file.text())));
  }

  /** Reads one tasks.md into its model from a commonmark tree already built for it. */
  static TasksDocument parse(SourceFile file, org.commonmark.node.Node root) {
    TasksParser p = new TasksParser(file);
    p.walk(root, 0, null);
    p.finish();
    return p.doc;
  }

  /**
   * The text with a leading YAML front matter block blanked out (every character but line ends
   * replaced by a space), so that positions stay the same and its keys are not read as Markdown.
   */
  static String withoutFrontMatter(String text) {
    if (!text.startsWith("---")) {
      return text;
    }
    int firstEnd = lineEnd(text, 0);
    if (!text.substring(0, firstEnd).strip().equals("---")) {
      return text;
    }
    int pos = nextLine(text, firstEnd);
    while (pos < text.length()) {
      int end = lineEnd(text, pos);
      String l = text.substring(pos, end).strip();
      if (l.equals("---") || l.equals("...")) {
        StringBuilder sb = new StringBuilder(text);
        for (int i = 0; i < end; i++) {
          char c = sb.charAt(i);
          if (c != '\n' && c != '\r') {
            sb.setCharAt(i, ' ');
          }
        }
        return sb.toString();
      }
      pos = nextLine(text, end);
    }
    return text;
  }

  private static int lineEnd(String text, int from) {
    int i = from;
    while (i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
      i++;
    }
    return i;
  }

  private static int nextLine(String text, int end) {
    if (end < text.length() && text.charAt(end) == '\r') {
      end++;
    }
    if (end < text.length() && text.charAt(end) == '\n') {
      end++;
    }
    return end;
  }

  // --- block walk ---------------------------------------------------------------------------

  private void walk(org.commonmark.node.Node parent, int depth, Task parentTask) {
    for (org.commonmark.node.Node n = parent.getFirstChild(); n != null; n = n.getNext()) {
      if (n instanceof Heading h) {
        heading(h);
      } else if (n instanceof Paragraph p) {
        paragraph(lines(p), parentTask);
      } else if (n instanceof ListBlock) {
        boolean ids = holdsIds(n);
        for (org.commonmark.node.Node i = n.getFirstChild(); i != null; i = i.getNext()) {
          if (i instanceof ListItem li) {
            listItem(li, depth, parentTask, ids);
          }
        }
      } else if (n instanceof BlockQuote) {
        walk(n, depth, parentTask);
      }
      // Fenced and indented code, HTML blocks (comments included) and breaks hold no tasks.
    }
  }

  /**
   * Whether any item of a list starts with a task id. A list whose checkbox items carry no id at
   * all is a checklist (acceptance criteria, manual-test steps, a definition of done); in a list
   * that does hold tasks, an item without an id is a task whose id was forgotten.
   */
  private boolean holdsIds(org.commonmark.node.Node list) {
    for (org.commonmark.node.Node i = list.getFirstChild(); i != null; i = i.getNext()) {
      if (i.getFirstChild() instanceof Paragraph p) {
        List<Line> ls = lines(p);
        if (!ls.isEmpty() && item.reset(ls.get(0).text()).lookingAt()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * After the walk: lines that repeat a task defined elsewhere are references, not definitions, and
   * a file with no task id at all has its checkbox items reported as tasks without ids.
   */
  private void finish() {
    java.util.Set<String> boxedOutsideNotes = new java.util.HashSet<>();
    java.util.Set<String> headingIds = new java.util.HashSet<>();
    for (Group g : doc.groups) {
      if (g.groupId != null) {
        headingIds.add(g.groupId);
      }
    }
    for (Task t : doc.tasks) {
      if (t.checkbox && !inNotes(t)) {
        boxedOutsideNotes.add(t.id.text());
      }
    }
    java.util.Set<Task> refs = new java.util.LinkedHashSet<>();
    java.util.Set<String> kept = new java.util.HashSet<>();
    for (Task t : doc.tasks) {
      String id = t.id.text();
      Group own = headingTask(t.group);
      boolean reference =
          // "- T002: Library installation" before the real "- [ ] T002 …": a bare id that names a
          // task written with a checkbox elsewhere.
          (!t.checkbox && boxedOutsideNotes.contains(id))
              // "- [x] T018 …" again under "## Quality Checklist": a re-listing of a defined task.
              || (inNotes(t) && (boxedOutsideNotes.contains(id) || kept.contains(id)))
              // "- [ ] T002 § S002-4 test passes" under "## T005: …": a check naming another task
              // that is itself written as a heading.
              || (own != null
                  && t.parent == null
                  && !id.equals(own.groupId)
                  && !id.startsWith(own.groupId + ".")
                  && headingIds.contains(id));
      if (reference) {
        refs.add(t);
      } else {
        kept.add(id);
      }
    }
    if (!refs.isEmpty()) {
      List<TasksDocument.Dependency> deps = new ArrayList<>(doc.dependencies.size());
      for (TasksDocument.Dependency d : doc.dependencies) {
        if (d.subject() instanceof Task t && refs.contains(t)) {
          // "- T055: Requires T050" under Dependencies states T055's dependency by its id.
          Ref subject = new Ref(RefKind.ID, t.id.text(), null, t.line, t.column, t.id.text());
          deps.add(new TasksDocument.Dependency(null, subject, d.objects(), d.line(), d.column()));
        } else {
          deps.add(d);
        }
      }
      doc.dependencies.clear();
      doc.dependencies.addAll(deps);
      doc.removeAll(refs);
    }
    // Under a task written as a heading, an item without an id is one of that task's checks,
    // whatever else its list holds (the ids there name other tasks' tests, as above).
    doc.malformed.removeIf(
        m -> {
          if (m.problem() != Problem.NO_ID || headingTask(m.group()) == null) {
            return false;
          }
          doc.checkItems.add(
              new TasksDocument.CheckItem(
                  m.line(),
                  m.column(),
                  m.text(),
                  m.group(),
                  m.depth(),
                  !m.text().startsWith("[ ]")));
          return true;
        });
    if (doc.tasks.isEmpty() && headingIds.isEmpty()) {
      // No task has an id, in a list or a heading: the checkbox items are the tasks, each
      // without its id.
      for (TasksDocument.CheckItem c : doc.checkItems) {
        doc.malformed.add(
            new Malformed(Problem.NO_ID, c.line(), c.column(), c.text(), c.group(), c.depth()));
      }
      doc.malformed.sort(java.util.Comparator.comparingInt(Malformed::line));
      doc.checkItems.clear();
    }
  }

  private static boolean inNotes(Task t) {
    return t.group != null && t.group.nonTask;
  }

  /**
   * The nearest heading at or above {@code g} that is itself a task (its title starts with an id).
   */
  private static Group headingTask(Group g) {
    for (Group a = g; a != null; a = a.parent) {
      if (a.groupId != null) {
        return a;
      }
    }
    return null;
  }

  private List<Line> lines(org.commonmark.node.Node block) {
    List<SourceSpan> spans = block.getSourceSpans();
    List<Line> out = new ArrayList<>(spans.size());
    for (SourceSpan s : spans) {
      int lineNo = s.getLineIndex() + 1;
      if (lineNo < 1 || lineNo > file.lineCount()) {
        continue;
      }
      int lineStart = file.lineStart(lineNo);
      int length = file.lineEnd(lineNo) - lineStart;
      int from = Math.min(Math.max(0, s.getColumnIndex()), length);
      int to = Math.min(length, from + Math.max(0, s.getLength()));
      out.add(new Line(lineNo, from + 1, file.text().substring(lineStart + from, lineStart + to)));
    }
    return out;
  }

  private Group current() {
    return headings.peek();
  }

  // --- headings -----------------------------------------------------------------------------

  private void heading(Heading h) {
    List<Line> ls = lines(h);
    if (ls.isEmpty()) {
      return;
    }
    Line first = ls.get(0);
    String raw = first.text();
    int start = 0;
    while (start < raw.length() && raw.charAt(start) == '#') {
      start++;
    }
    while (start < raw.length() && (raw.charAt(start) == ' ' || raw.charAt(start) == '\t')) {
      start++;
    }
    int end = raw.length();
    int hashes = end;
    while (hashes > start && raw.charAt(hashes - 1) == '#') {
      hashes--;
    }
    if (hashes < end && (hashes == start || raw.charAt(hashes - 1) == ' ')) {
      end = hashes;
    }
    String title = raw.substring(start, end).strip();
    int titleColumn = first.column() + start;

    while (!headings.isEmpty() && headings.peek().level >= h.getLevel()) {
      headings.pop();
    }
    Group parent = headings.peek();
    String phase = find(PHASE_START, title, 1);
    if (phase != null && parent != null && phase.equals(parent.phaseNumber)) {
      phase = null;
    }
    Matcher gm = GROUP_START.matcher(title);
    String groupId = gm.find() ? firstNonNull(gm.group(1), gm.group(2)) : null;
    int story = 0;
    Matcher sm = Syntax.HEADING_STORY.matcher(title);
    if (sm.find()) {
      story = parseInt(sm.group(1) != null ? sm.group(1) : sm.group(2));
    }
    boolean insidePhase = false;
    for (Group a = parent; a != null; a = a.parent) {
      insidePhase |= a.phaseLike;
    }
    // Inside a phase, a sub-heading without its own phase number or story ("### Configuration &
    // Agent Setup" under "## Phase 3: User Story 2") is a part of that phase: its words do not
    // make it a Setup, Foundational or Polish phase.
    boolean kindFromWords = !insidePhase || phase != null || groupId != null;
    Group.Kind own =
        story > 0
            ? Group.Kind.STORY
            : !kindFromWords
                ? Group.Kind.OTHER
                : Syntax.SETUP.matcher(title).find()
                    ? Group.Kind.SETUP
                    : Syntax.FOUNDATIONAL.matcher(title).find()
                        ? Group.Kind.FOUNDATIONAL
                        : Syntax.POLISH.matcher(title).find()
                            ? Group.Kind.POLISH
                            : Group.Kind.OTHER;
    boolean phaseLike = phase != null || groupId != null || own != Group.Kind.OTHER;
    Group.Kind kind = own;
    if (own == Group.Kind.OTHER && parent != null) {
      kind = parent.kind;
      story = parent.story;
    }
    // Inside a phase every sub-heading is a task section ("### Documentation & Examples" lists
    // tasks); elsewhere a heading that names notes, dependencies or a strategy explains tasks.
    boolean underPhase = false;
    for (Group a = parent; a != null; a = a.parent) {
      underPhase |= a.phaseLike;
    }
    boolean nonTask =
        !phaseLike
            && !underPhase
            && (Syntax.NON_TASK.matcher(title).find() || (parent != null && parent.nonTask));
    Group g =
        new Group(
            title,
            h.getLevel(),
            first.line(),
            titleColumn,
            parent,
            kind,
            story,
            phase,
            groupId,
            nonTask,
            phaseLike);
    headingStatus(g, title, titleColumn);
    doc.groups.add(g);
    headings.push(g);
    claims(title, first.line(), titleColumn, g, false);
  }

  private static void headingStatus(Group g, String title, int titleColumn) {
    Matcher m = Syntax.HEADING_STATUS.matcher(title);
    if (mayEndInStatus(title) && m.find()) {
      setStatus(g, keyword(m.group("s")), m.group("s"), g.line, titleColumn + m.start("s"));
      return;
    }
    emojiStatus(g, title, g.line, titleColumn);
  }

  /** Whether a title holds a word that every {@link Syntax#HEADING_STATUS} match contains. */
  private static boolean mayEndInStatus(String title) {
    return title.contains("COMPLETE")
        || title.contains("DONE")
        || title.contains("PROGRESS")
        || title.contains("STARTED")
        || title.contains("BLOCKED");
  }

  private static boolean emojiStatus(Group g, String s, int line, int column) {
    int done = s.indexOf('✅');
    int wait = Math.max(s.indexOf('⏳'), s.indexOf("🚧"));
    int no = s.indexOf('❌');
    int lock = s.indexOf("🔒");
    int kinds = (done >= 0 ? 1 : 0) + (wait >= 0 ? 1 : 0) + (no >= 0 ? 1 : 0) + (lock >= 0 ? 1 : 0);
    if (kinds != 1) {
      return false; // none, or mixed signs such as "✅/❌" (a legend, not a status)
    }
    if (done >= 0) {
      setStatus(g, Group.Status.COMPLETE, "✅", line, column + done);
    } else if (wait >= 0) {
      setStatus(
          g,
          Group.Status.IN_PROGRESS,
          s.substring(wait, wait + (s.charAt(wait) == '⏳' ? 1 : 2)),
          line,
          column + wait);
    } else if (no >= 0) {
      setStatus(g, Group.Status.NOT_STARTED, "❌", line, column + no);
    } else {
      setStatus(g, Group.Status.BLOCKED, "🔒", line, column + lock);
    }
    return true;
  }

  private static void setStatus(Group g, Group.Status s, String text, int line, int column) {
    g.status = s;
    g.statusText = text;
    g.statusLine = line;
    g.statusColumn = column;
  }

  private static Group.Status keyword(String word) {
    String w = word.toUpperCase(java.util.Locale.ROOT).replace('-', ' ');
    if (w.startsWith("PARTIALLY") || w.equals("IN PROGRESS")) {
      return Group.Status.IN_PROGRESS;
    }
    if (w.startsWith("COMPLETE") || w.equals("DONE")) {
      return Group.Status.COMPLETE;
    }
    if (w.equals("BLOCKED")) {
      return Group.Status.BLOCKED;
    }
    return Group.Status.NOT_STARTED;
  }

  // --- list items ---------------------------------------------------------------------------

  private void listItem(ListItem li, int depth, Task parentTask, boolean listHasIds) {
    org.commonmark.node.Node first = li.getFirstChild();
    if (!(first instanceof Paragraph p)) {
      walk(li, depth + 1, parentTask);
      return;
    }
    List<Line> ls = lines(p);
    if (ls.isEmpty()) {
      walk(li, depth + 1, parentTask);
      return;
    }
    Line head = ls.get(0);
    Task task = taskOf(head, depth, parentTask, listHasIds);
    if (task == null) {
      paragraph(ls, parentTask);
    } else {
      taskLines(task, head, ls);
    }
    for (org.commonmark.node.Node n = first.getNext(); n != null; n = n.getNext()) {
      if (n instanceof Paragraph more) {
        paragraph(lines(more), task != null ? task : parentTask);
      } else if (n instanceof ListBlock) {
        boolean ids = holdsIds(n);
        for (org.commonmark.node.Node i = n.getFirstChild(); i != null; i = i.getNext()) {
          if (i instanceof ListItem child) {
            listItem(child, depth + 1, task != null ? task : parentTask, ids);
          }
        }
      } else if (n instanceof BlockQuote || n instanceof Heading) {
        walk(n, depth + 1, task != null ? task : parentTask);
      }
    }
  }

  /** The task this item's first line declares, or null (recording malformed look-alikes). */
  private Task taskOf(Line head, int depth, Task parentTask, boolean listHasIds) {
    String s = head.text();
    Group g = current();
    Matcher m = item.reset(s);
    if (m.lookingAt()) {
      String box = m.group(ITEM_BOX);
      TaskId id = TaskId.parse(m.group(ITEM_ID));
      if (id != null) {
        boolean deferred = "~".equals(box);
        boolean checkbox =
            box != null && (box.equals(" ") || box.equalsIgnoreCase("x") || deferred);
        if (box == null) {
          // Without a checkbox only T-ids outside explanatory sections are tasks: "- T016, T017
          // can run in parallel" under Notes is prose (the id must be followed by a space,
          // bracket or colon anyway).
          if (!id.prefix().equals("T") || (g != null && g.nonTask) || doc.task(id.text()) != null) {
            // A bare id that repeats a task ("- T012 then T013") refers to it; it is not a task.
            return null;
          }
        } else if (!checkbox) {
          doc.malformed.add(
              new Malformed(
                  Problem.BAD_CHECKBOX, head.line(), head.column(), "[" + box + "]", g, depth));
        }
        boolean done = checkbox && box.equalsIgnoreCase("x");
        int pos = m.end();
        List<Task.Marker> markers = new ArrayList<>();
        Matcher mk = marker.reset(s);
        // MARKER starts with \G, so it can only match right at pos: look there, not beyond.
        while (pos < s.length() && mk.region(pos, s.length()).lookingAt()) {
          markers.add(new Task.Marker(mk.group(1), head.column() + mk.start(1) - 1));
          pos = mk.end();
        }
        String rest = s.substring(pos).strip();
        Task t =
            new Task(
                id,
                head.line(),
                head.column() + m.start(ITEM_ID),
                head.column(),
                checkbox,
                done,
                rest,
                List.copyOf(markers),
                g,
                parentTask);
        t.deferred = deferred;
        doc.add(t);
        if (g != null) {
          g.directTasks++;
          for (Group a = g; a != null; a = a.parent) {
            a.tasks.add(t);
          }
        }
        if (parentTask != null) {
          parentTask.children.add(t);
        }
        return t;
      }
    }
    if (Syntax.PLACEHOLDER_ID.matcher(s).lookingAt()) {
      return null; // a template's TXXX line: the template-leftover rule reports it
    }
    Matcher box = Syntax.BOX.matcher(s);
    if (box.lookingAt()) {
      if (parentTask != null) {
        parentTask.idlessBoxes++;
        if (!box.group("box").equals(" ")) {
          parentTask.idlessDone++;
        }
      } else if (!listHasIds) {
        doc.checkItems.add(
            new TasksDocument.CheckItem(
                head.line(), head.column(), s, g, depth, !box.group("box").equals(" ")));
      } else {
        doc.malformed.add(new Malformed(Problem.NO_ID, head.line(), head.column(), s, g, depth));
      }
      return null;
    }
    Matcher bad = Syntax.BAD_BOX.matcher(s);
    if (bad.lookingAt()) {
      doc.malformed.add(
          new Malformed(
              Problem.BAD_CHECKBOX,
              head.line(),
              head.column(),
              "[" + bad.group("box") + "]",
              g,
              parentTask != null ? 0 : depth));
    }
    return null;
  }

  private void taskLines(Task task, Line head, List<Line> ls) {
    for (int i = 0; i < ls.size(); i++) {
      Line l = ls.get(i);
      String clean = clean(l.text());
      dependencies(clean, l.line(), l.column(), task, true);
      fractions(clean, l.line(), l.column(), task);
      citations(l.text(), l.line(), l.column(), task);
    }
  }

  // --- paragraphs ---------------------------------------------------------------------------

  private void paragraph(List<Line> ls, Task parentTask) {
    if (ls.isEmpty()) {
      return;
    }
    Group g = current();
    if (ls.size() >= 2
        && ls.get(0).text().strip().startsWith("|")
        && TABLE_DELIMITER.matcher(ls.get(1).text()).matches()) {
      table(ls, g);
      return;
    }
    Node implicit = parentTask != null ? parentTask : (g != null && !g.nonTask ? g : null);
    for (Line l : ls) {
      String clean = clean(l.text());
      if (parentTask == null && g != null && !g.nonTask && STATUS_HINT.matcher(clean).find()) {
        statusLine(g, clean, l);
      }
      dependencies(clean, l.line(), l.column(), implicit, false);
      claims(clean, l.line(), l.column(), parentTask != null ? parentTask : g, true);
      citations(l.text(), l.line(), l.column(), parentTask);
    }
  }

  private static void statusLine(Group g, String clean, Line l) {
    Matcher m = Syntax.STATUS_LINE.matcher(clean);
    if (!m.lookingAt() || g.status != null && g.statusLine != g.line) {
      return;
    }
    String v = m.group("v");
    int vStart = m.start("v");
    Matcher w = Syntax.STATUS_WORD.matcher(v);
    if (w.find()) {
      setStatus(g, keyword(w.group("s")), w.group("s"), l.line(), l.column() + vStart + w.start());
    } else {
      emojiStatus(g, v, l.line(), l.column() + vStart);
    }
  }

  private void table(List<Line> ls, Group g) {
    List<int[]> headerCells = cells(ls.get(0).text());
    String headerText = ls.get(0).text();
    // The first column of each measure: a count of tasks, of ticked tasks, of [P] tasks. A
    // "Parallel tasks" column counts [P] tasks, not tasks, so it is recognised first.
    int[] columns = {-1, -1, -1};
    String[] headers = new String[3];
    boolean aboutTasks = g != null && TABLE_CONTEXT.matcher(g.title).find();
    for (int c = 1; c < headerCells.size(); c++) {
      int[] cell = headerCells.get(c);
      String h = clean(headerText.substring(cell[0], cell[1])).strip();
      Measure m =
          PARALLEL_HEADER.matcher(h).find()
              ? Measure.PARALLEL
              : DONE_HEADER.matcher(h).find()
                  ? Measure.DONE
                  : COUNT_HEADER.matcher(h).find() ? Measure.TASKS : null;
      if (m != null && columns[m.ordinal()] < 0) {
        columns[m.ordinal()] = c;
        headers[m.ordinal()] = h;
        aboutTasks |= h.toLowerCase(java.util.Locale.ROOT).contains("task");
      }
    }
    if (!aboutTasks || (columns[0] < 0 && columns[1] < 0 && columns[2] < 0)) {
      return;
    }
    for (int r = 2; r < ls.size(); r++) {
      Line l = ls.get(r);
      String text = l.text();
      List<int[]> cs = cells(text);
      if (cs.isEmpty()) {
        continue;
      }
      String label = stripEmphasis(text.substring(cs.get(0)[0], cs.get(0)[1]));
      // A row may list the ids it counts, in its label or in a cell of their own.
      String ranges = null;
      for (int c = 0; c < cs.size() && ranges == null; c++) {
        if (c == columns[0] || c == columns[1] || c == columns[2]) {
          continue;
        }
        String cell = stripEmphasis(text.substring(cs.get(c)[0], cs.get(c)[1]));
        if (ID_RANGES.matcher(cell).matches()) {
          ranges = cell;
        }
      }
      for (Measure m : Measure.values()) {
        int col = columns[m.ordinal()];
        if (col < 0 || cs.size() <= col) {
          continue;
        }
        int[] vc = cs.get(col);
        String value = stripEmphasis(text.substring(vc[0], vc[1]));
        if (value.isEmpty() || value.length() > 7 || !value.chars().allMatch(Character::isDigit)) {
          continue;
        }
        int valueStart = vc[0];
        while (valueStart < vc[1] && !Character.isDigit(text.charAt(valueStart))) {
          valueStart++;
        }
        doc.tableRows.add(
            new TableRow(
                label,
                Integer.parseInt(value),
                m,
                ranges,
                headers[m.ordinal()],
                l.line(),
                l.column() + valueStart));
      }
    }
  }

  /** Cell bounds {start, end} of a table row, without the outer pipes. */
  private static List<int[]> cells(String row) {
    List<int[]> out = new ArrayList<>();
    int i = 0;
    while (i < row.length() && (row.charAt(i) == ' ' || row.charAt(i) == '\t')) {
      i++;
    }
    if (i < row.length() && row.charAt(i) == '|') {
      i++;
    }
    int start = i;
    for (; i < row.length(); i++) {
      char c = row.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '|') {
        out.add(new int[] {start, i});
        start = i + 1;
      }
    }
    if (start < row.length() && !row.substring(start).isBlank()) {
      out.add(new int[] {start, row.length()});
    }
    return out;
  }

  private static String stripEmphasis(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '*' && c != '_' && c != '`') {
        sb.append(c);
      }
    }
    return sb.toString().strip();
  }

  /** The line with emphasis stars and backticks blanked, keeping every column where it was. */
  private static String clean(String s) {
    if (s.indexOf('*') < 0 && s.indexOf('`') < 0) {
      return s;
    }
    return s.replace('*', ' ').replace('`', ' ');
  }

  // --- statements ---------------------------------------------------------------------------

  private void dependencies(String s, int line, int column, Node implicit, boolean taskLine) {
    if (s.indexOf('←') >= 0 || s.contains("<-")) {
      arrows(s, line, column);
    }
    if (!mayStateDependency(s)) {
      return; // most lines: skip the keyword search, which tests every position
    }
    Matcher kw = Syntax.DEP_KEYWORD.matcher(s);
    List<int[]> hits = new ArrayList<>();
    while (kw.find()) {
      hits.add(new int[] {kw.start(), kw.end()});
    }
    for (int h = 0; h < hits.size(); h++) {
      int start = hits.get(h)[0];
      int end = hits.get(h)[1];
      int limit = h + 1 < hits.size() ? hits.get(h + 1)[0] : s.length();
      int stop = clauseEnd(s, end, limit);
      List<Ref> objects = refs(s, end, stop, line, column);
      if (objects.isEmpty()) {
        continue;
      }
      if (taskLine) {
        doc.dependencies.add(new Dependency(implicit, null, objects, line, column + start));
        continue;
      }
      int cs = clauseStart(s, start);
      List<Ref> before = refs(s, cs, start, line, column);
      if (!before.isEmpty()) {
        doc.dependencies.add(new Dependency(null, before.get(0), objects, line, column + start));
      } else if (implicit != null && !hasWord(s, cs, start)) {
        doc.dependencies.add(new Dependency(implicit, null, objects, line, column + start));
      }
    }
  }

  private void arrows(String s, int line, int column) {
    {
      Matcher a = Syntax.LEFT_ARROW.matcher(s);
      while (a.find()) {
        Ref subject =
            new Ref(RefKind.ID, a.group("s"), null, line, column + a.start("s"), a.group("s"));
        List<Ref> objects = refs(s, a.start("o"), a.end("o"), line, column);
        doc.dependencies.add(new Dependency(null, subject, objects, line, column + a.start("s")));
      }
    }
  }

  /** Whether the line may hold a dependency keyword: a cheap scan before the regex. */
  private static boolean mayStateDependency(String s) {
    for (int i = 0; i + 6 <= s.length(); i++) {
      char c = s.charAt(i);
      if ((c == 'e' || c == 'E') && s.regionMatches(true, i, "epend", 0, 5)
          || (c == 'r' || c == 'R') && s.regionMatches(true, i, "rerequisite", 0, 11)
          || (c == 'l' || c == 'L') && s.regionMatches(true, i, "locked", 0, 6)) {
        return true;
      }
    }
    return false;
  }

  private static int clauseEnd(String s, int from, int limit) {
    int max = Math.min(limit, from + 300);
    Matcher reverse = Syntax.REVERSE.matcher(s).region(from, max);
    if (reverse.find()) {
      max = reverse.start();
    }
    for (int i = from; i < max; i++) {
      char c = s.charAt(i);
      if (c == ';' || c == '(' || c == ')') {
        return i;
      }
      if (c == '.' && (i + 1 >= s.length() || Character.isWhitespace(s.charAt(i + 1)))) {
        return i;
      }
    }
    return max;
  }

  private static int clauseStart(String s, int before) {
    int closed = 0;
    for (int i = before - 1; i >= 0 && i >= before - 300; i--) {
      char c = s.charAt(i);
      if (c == ')') {
        closed++;
      } else if (c == '(') {
        // An open parenthesis around the keyword starts a statement of its own: in "Modified by
        // T001, T002 (T002 depends on T001)" the subject is T002. "Phase 1 (Setup): Depends on"
        // closes its parenthesis before the keyword, so Phase 1 stays the subject.
        if (closed == 0) {
          return i + 1;
        }
        closed--;
      }
      if (c == ';' || (c == '.' && i + 1 < s.length() && Character.isWhitespace(s.charAt(i + 1)))) {
        return i + 1;
      }
    }
    return Math.max(0, before - 300);
  }

  private static boolean hasWord(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Character.isLetterOrDigit(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static List<Ref> refs(String s, int from, int to, int line, int column) {
    List<Ref> out = new ArrayList<>();
    if (from >= to) {
      return out;
    }
    Matcher m = Syntax.REF.matcher(s).useTransparentBounds(true);
    m.region(from, to);
    while (m.find()) {
      String text = m.group();
      int col = column + m.start();
      if (m.group("ph") != null) {
        out.add(new Ref(RefKind.PHASE, m.group("ph"), m.group("ph2"), line, col, text));
      } else if (m.group("us") != null || m.group("us2") != null) {
        String n = m.group("us") != null ? m.group("us") : m.group("us2");
        out.add(new Ref(RefKind.STORY, n, null, line, col, text));
      } else if (m.group("g") != null) {
        out.add(
            new Ref(RefKind.ID, m.group("g"), null, line, col + m.start("g") - m.start(), text));
      } else if (m.group("id") != null) {
        out.add(new Ref(RefKind.ID, m.group("id"), m.group("id2"), line, col, text));
      }
    }
    return out;
  }

  private void fractions(String s, int line, int column, Node scope) {
    if (!mayHoldFraction(s)) {
      return;
    }
    Matcher m = Syntax.FRACTION.matcher(s);
    while (m.find()) {
      boolean first = m.group("d") != null;
      int d = parseInt(first ? m.group("d") : m.group("d2"));
      int t = parseInt(first ? m.group("t") : m.group("t2"));
      boolean sub = (first ? m.group("sub") : m.group("sub2")) != null;
      doc.claims.add(new CountClaim(d, t, sub, scope, line, column + m.start(), m.group(), s));
    }
  }

  /** Whether a digit stands before a '/' or an " of ": a cheap scan before the regex. */
  private static boolean mayHoldFraction(String s) {
    for (int i = s.indexOf('/'); i >= 0; i = s.indexOf('/', i + 1)) {
      int j = i - 1;
      while (j >= 0 && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
        j--;
      }
      if (j >= 0 && Character.isDigit(s.charAt(j))) {
        return true;
      }
    }
    for (int i = s.indexOf(" of "); i >= 0; i = s.indexOf(" of ", i + 1)) {
      if (i > 0 && Character.isDigit(s.charAt(i - 1))) {
        return true;
      }
    }
    return false;
  }

  private void claims(String s, int line, int column, Node scope, boolean totals) {
    fractions(s, line, column, scope);
    if (!totals) {
      return;
    }
    parallelClaims(s, line, column, scope);
    String lower = s.toLowerCase(java.util.Locale.ROOT);
    if (!lower.contains("total") && !lower.contains("task")) {
      return;
    }
    Matcher lc = Syntax.LABEL_COUNT.matcher(s);
    if (lc.lookingAt()) {
      doc.labelCounts.add(
          new TasksDocument.LabelCount(
              lc.group("label").strip(),
              parseInt(lc.group("n")),
              lc.group("ranges"),
              line,
              column + lc.start("n"),
              s.strip()));
    }
    Matcher m = Syntax.TOTAL.matcher(s);
    while (m.find()) {
      String n = firstNonNull(m.group("n1"), m.group("n2"), m.group("n3"), m.group("n4"));
      boolean sub = firstNonNull(m.group("sub1"), m.group("sub2"), m.group("sub3")) != null;
      if (n != null && !sub) {
        doc.claims.add(
            new CountClaim(
                -1, parseInt(n), false, scope, line, column + m.start(), m.group().strip(), s));
      }
    }
  }

  /** Counts of parallel tasks on a line that speaks of tasks ("35 tasks marked with [P]"). */
  private void parallelClaims(String s, int line, int column, Node scope) {
    boolean marker = s.contains("[P]");
    if (!marker && !s.contains("arallel")) {
      return;
    }
    if (!marker && !s.toLowerCase(java.util.Locale.ROOT).contains("task")) {
      return; // "7 parallel investigators": not about tasks
    }
    Matcher m = Syntax.PARALLEL_COUNT.matcher(s);
    while (m.find()) {
      String n = firstNonNull(m.group("n1"), m.group("n2"), m.group("n3"));
      int at = m.start(m.group("n1") != null ? "n1" : m.group("n2") != null ? "n2" : "n3");
      doc.parallelClaims.add(
          new TasksDocument.ParallelClaim(
              parseInt(n), scope, line, column + at, m.group().strip(), s));
    }
  }

  private void citations(String s, int line, int column, Task task) {
    if (s.indexOf("FR-") < 0 && s.indexOf("SC-") < 0) {
      return;
    }
    Matcher m = specId.reset(s);
    int from = 0;
    while (true) {
      int fr = s.indexOf("FR-", from);
      int sc = s.indexOf("SC-", from);
      int at = fr < 0 ? sc : sc < 0 ? fr : Math.min(fr, sc);
      if (at < 0) {
        return;
      }
      from = at + 3;
      m.region(at, s.length());
      if (!m.lookingAt()) {
        continue;
      }
      from = Math.max(from, m.end());
      String k = m.group("k");
      int lo = parseInt(m.group("n"));
      int hi = lo;
      if (m.group("n2") != null && (m.group("k2") == null || m.group("k2").equals(k))) {
        hi = Math.max(lo, parseInt(m.group("n2")));
      }
      doc.citations.add(new Citation(k, lo, hi, task, line, column + m.start(), m.group()));
    }
  }

  private static String find(Pattern p, String s, int group) {
    Matcher m = p.matcher(s);
    return m.find() ? m.group(group) : null;
  }

  @SafeVarargs
  private static <T> T firstNonNull(T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  static int parseInt(String digits) {
    if (digits == null || digits.isEmpty()) {
      return 0;
    }
    if (digits.length() > 9) {
      return Integer.MAX_VALUE;
    }
    return Integer.parseInt(digits);
  }
}
