package dev.tollgate.speckit.internal.tasks;

import dev.tollgate.speckit.internal.shared.SourceFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link TasksParser} read from one tasks.md: its tasks, headings, malformed items, dependency
 * statements, declared counts and spec citations, each with its position. The rules read this model
 * and never the text again, so the file is parsed once whatever rules run.
 */
final class TasksDocument {

  /** What a dependency statement names, as written. */
  record Ref(RefKind kind, String key, String key2, int line, int column, String text) {}

  /** The kinds of {@link Ref}. */
  enum RefKind {
    /** A task or group id, {@code key2} the end of a range or null. */
    ID,
    /** A phase number, {@code key2} the end of a range or null. */
    PHASE,
    /** A user story number. */
    STORY
  }

  /**
   * A dependency statement: {@code subject} (when known from where the statement is) or {@code
   * subjectRef} depends on each of {@code objects}.
   */
  record Dependency(Node subject, Ref subjectRef, List<Ref> objects, int line, int column) {}

  /** A figure the text declares: a total ({@code done} is -1) or a done/total fraction. */
  record CountClaim(
      int done,
      int total,
      boolean sub,
      Node scope,
      int line,
      int column,
      String text,
      String context) {}

  /**
   * A count given for a labelled part of the file, "US1: 30 tasks" or "Setup &amp; Polish: 11 tasks
   * (T001-T004, T035-T040)": {@code ranges} is the parenthesised id list, or null.
   */
  record LabelCount(String label, int count, String ranges, int line, int column, String text) {}

  /** What a figure counts: tasks, ticked tasks, or tasks marked {@code [P]}. */
  enum Measure {
    TASKS,
    DONE,
    PARALLEL
  }

  /**
   * One figure of a summary table row: its label, the number in a count, done or parallel column,
   * and the id ranges the row lists in another cell ("T001-T004, T035"), or null.
   */
  record TableRow(
      String label,
      int value,
      Measure measure,
      String ranges,
      String header,
      int line,
      int column) {}

  /**
   * A count of parallel tasks the text declares ("35 tasks marked with [P]", "Phase 2: 8 tasks (5
   * parallelizable)", "[P] tasks: 12"); {@code scope} is the heading or task it is written under.
   */
  record ParallelClaim(int count, Node scope, int line, int column, String text, String context) {}

  /** An FR/SC id or range cited in the text; {@code task} is the citing task or null. */
  record Citation(String kind, int from, int to, Task task, int line, int column, String text) {}

  /**
   * A checkbox item without a task id in a list that holds no task ids at all: an acceptance check,
   * a manual-test step or a definition-of-done item, not a malformed task.
   */
  record CheckItem(int line, int column, String text, Group group, int depth, boolean done) {}

  /** A list item that looks like a task but is not well formed. */
  record Malformed(Problem problem, int line, int column, String text, Group group, int depth) {}

  /** What is wrong with a {@link Malformed} item. */
  enum Problem {
    BAD_CHECKBOX,
    NO_ID
  }

  final SourceFile file;
  final List<Task> tasks = new ArrayList<>();
  final List<Group> groups = new ArrayList<>();
  final List<Malformed> malformed = new ArrayList<>();
  final List<CheckItem> checkItems = new ArrayList<>();
  final List<Dependency> dependencies = new ArrayList<>();
  final List<CountClaim> claims = new ArrayList<>();
  final List<LabelCount> labelCounts = new ArrayList<>();
  final List<TableRow> tableRows = new ArrayList<>();
  final List<ParallelClaim> parallelClaims = new ArrayList<>();
  final List<Citation> citations = new ArrayList<>();

  private final Map<String, Task> firstById = new HashMap<>();

  TasksDocument(SourceFile file) {
    this.file = file;
  }

  /** Adds a task in file order. */
  void add(Task t) {
    tasks.add(t);
    firstById.putIfAbsent(t.id.text(), t);
  }

  /**
   * Takes out tasks that turned out to be references to tasks defined elsewhere (a re-listing in a
   * checklist, a bare id in a note), so that they are not counted, ordered or checked twice.
   */
  void removeAll(java.util.Set<Task> refs) {
    if (refs.isEmpty()) {
      return;
    }
    tasks.removeAll(refs);
    firstById.clear();
    for (Task t : tasks) {
      firstById.putIfAbsent(t.id.text(), t);
    }
    for (Group g : groups) {
      g.tasks.removeAll(refs);
    }
    for (Task r : refs) {
      if (r.group != null && r.parent == null) {
        r.group.directTasks--;
      }
      if (r.parent != null) {
        r.parent.children.remove(r);
      }
    }
  }

  /** The first task with this id, or null. */
  Task task(String id) {
    return firstById.get(id);
  }

  /** The first heading whose "Group X" id is this, or null. */
  Group groupById(String id) {
    indexGroups();
    return groupsById.get(id);
  }

  /** The outermost heading that numbers this phase, or null. */
  Group phase(String number) {
    indexGroups();
    return phases.get(number);
  }

  private Map<String, Group> groupsById;
  private Map<String, Group> phases;
  private Map<Integer, Group> storyPhases;

  /** Indexes the headings once, after parsing, so that lookups do not scan them. */
  private void indexGroups() {
    if (groupsById != null) {
      return;
    }
    groupsById = new HashMap<>();
    phases = new HashMap<>();
    storyPhases = new HashMap<>();
    for (Group g : groups) {
      if (g.groupId != null) {
        groupsById.putIfAbsent(g.groupId, g);
      }
      if (g.phaseNumber != null) {
        phases.putIfAbsent(g.phaseNumber, g);
      }
      if (g.kind == Group.Kind.STORY
          && g.story > 0
          && (g.parent == null || g.parent.story != g.story)) {
        storyPhases.putIfAbsent(g.story, g);
      }
    }
  }

  /** The outermost heading of the phase of user story {@code n}, or null. */
  Group storyPhase(int n) {
    indexGroups();
    return storyPhases.get(n);
  }
}
