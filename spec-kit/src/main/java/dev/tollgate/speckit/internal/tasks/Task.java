package dev.tollgate.speckit.internal.tasks;

import java.util.ArrayList;
import java.util.List;

/** One task line of tasks.md, with where it is, its markers and its subtasks. */
final class Task implements Node {
  /** A bracketed marker after the id, such as {@code [P]} or {@code [US1]}, and its column. */
  record Marker(String text, int column) {}

  final TaskId id;
  final int line;

  /** 1-based column of the id. */
  final int column;

  /** 1-based column where the list item's content starts (the checkbox, or the id). */
  final int itemColumn;

  final boolean checkbox;
  final boolean done;

  /** The item's text after the id, continuation lines joined with a space. */
  final String text;

  final List<Marker> markers;
  final Group group;
  final Task parent;

  /** Nested checkbox items without an id (subtasks). */
  int idlessBoxes;

  int idlessDone;

  /** Nested tasks with an id. */
  final List<Task> children = new ArrayList<>();

  /**
   * Whether the checkbox is {@code [~]}: deferred or partly done by decision. Such a task counts as
   * a task line, but is neither ticked nor open, so checkbox fractions and phase statuses leave it
   * out.
   */
  boolean deferred;

  Task(
      TaskId id,
      int line,
      int column,
      int itemColumn,
      boolean checkbox,
      boolean done,
      String text,
      List<Marker> markers,
      Group group,
      Task parent) {
    this.id = id;
    this.line = line;
    this.column = column;
    this.itemColumn = itemColumn;
    this.checkbox = checkbox;
    this.done = done;
    this.text = text;
    this.markers = markers;
    this.group = group;
    this.parent = parent;
  }

  /**
   * Subtask checkboxes: {done, total, deferred}, counting id-less boxes and nested tasks with
   * boxes; a deferred {@code [~]} subtask is in neither of the first two.
   */
  int[] subtaskBoxes() {
    int done = idlessDone;
    int total = idlessBoxes;
    int deferred = 0;
    for (Task c : children) {
      if (c.checkbox && !c.deferred) {
        total++;
        if (c.done) {
          done++;
        }
      } else if (c.deferred) {
        deferred++;
      }
    }
    return new int[] {done, total, deferred};
  }
}
