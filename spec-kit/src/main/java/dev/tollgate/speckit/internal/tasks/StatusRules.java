package dev.tollgate.speckit.internal.tasks;

/** SK031: a status marker on a phase or group agrees with the checkboxes under it. */
final class StatusRules {
  private StatusRules() {}

  static void check(TasksDocument doc, Findings f) {
    for (Group g : doc.groups) {
      if (g.status == null || g.nonTask) {
        continue;
      }
      int[] b = g.boxes();
      if (b[1] == 0) {
        continue;
      }
      int open = b[1] - b[0];
      if (g.status == Group.Status.COMPLETE && open > 0) {
        Task first = g.firstWithState(false);
        f.add(
            "SK031",
            g.statusLine,
            g.statusColumn,
            g.name()
                + " is marked complete ("
                + g.statusText
                + ") but "
                + open
                + " of "
                + b[1]
                + (open == 1 ? " items is open" : " items are open")
                + (first != null
                    ? " (first: " + first.id.text() + " at line " + first.line + ")"
                    : ""),
            "Tick the finished items, or change the marker to in progress.");
      } else if (g.status == Group.Status.NOT_STARTED && b[0] > 0) {
        Task first = g.firstWithState(true);
        f.add(
            "SK031",
            g.statusLine,
            g.statusColumn,
            g.name()
                + " is marked not started ("
                + g.statusText
                + ") but "
                + b[0]
                + " of "
                + b[1]
                + " items are done"
                + (first != null
                    ? " (first: " + first.id.text() + " at line " + first.line + ")"
                    : ""),
            "Change the marker to in progress (or complete), or untick the items not done.");
      }
    }
  }
}
