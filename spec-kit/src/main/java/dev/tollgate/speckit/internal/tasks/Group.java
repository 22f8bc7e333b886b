package dev.tollgate.speckit.internal.tasks;

import java.util.ArrayList;
import java.util.List;

/**
 * A heading of tasks.md and the section under it: a phase, a group of tasks, or a section that
 * holds no tasks (notes, dependencies, strategy). Built by {@link TasksParser}; read by the rules.
 */
final class Group implements Node {
  /** What kind of phase a heading names, which decides the story-label rules. */
  enum Kind {
    SETUP,
    FOUNDATIONAL,
    STORY,
    POLISH,
    OTHER
  }

  /** A status a heading or its Status line declares. */
  enum Status {
    COMPLETE,
    IN_PROGRESS,
    NOT_STARTED,
    BLOCKED
  }

  final String title;
  final int level;
  final int line;
  final int column;
  final Group parent;
  final Kind kind;
  final int story;
  final String phaseNumber;
  final String groupId;
  final boolean nonTask;
  final boolean phaseLike;

  /** Every task in this section and its sub-sections, in file order. */
  final List<Task> tasks = new ArrayList<>();

  /** Tasks whose nearest heading is this one. */
  int directTasks;

  Status status;
  String statusText;
  int statusLine;
  int statusColumn;

  Group(
      String title,
      int level,
      int line,
      int column,
      Group parent,
      Kind kind,
      int story,
      String phaseNumber,
      String groupId,
      boolean nonTask,
      boolean phaseLike) {
    this.title = title;
    this.level = level;
    this.line = line;
    this.column = column;
    this.parent = parent;
    this.kind = kind;
    this.story = story;
    this.phaseNumber = phaseNumber;
    this.groupId = groupId;
    this.nonTask = nonTask;
    this.phaseLike = phaseLike;
  }

  /** A short name for messages: "Phase 3", "Group T2" or the heading text. */
  String name() {
    if (phaseNumber != null) {
      return "Phase " + phaseNumber;
    }
    if (groupId != null) {
      return "Group " + groupId;
    }
    return "'" + title + "'";
  }

  /**
   * Checkbox items (tasks and subtask boxes) under this heading: {done, total, deferred}; a
   * deferred {@code [~]} task is in neither of the first two.
   */
  int[] boxes() {
    int done = 0;
    int total = 0;
    int deferred = 0;
    for (Task t : tasks) {
      if (t.checkbox && !t.deferred) {
        total++;
        if (t.done) {
          done++;
        }
      } else if (t.deferred) {
        deferred++;
      }
      total += t.idlessBoxes;
      done += t.idlessDone;
    }
    return new int[] {done, total, deferred};
  }

  /** The first checkbox task under this heading with the given state, if any. */
  Task firstWithState(boolean done) {
    for (Task t : tasks) {
      if (t.checkbox && !t.deferred && t.done == done) {
        return t;
      }
    }
    return null;
  }
}
