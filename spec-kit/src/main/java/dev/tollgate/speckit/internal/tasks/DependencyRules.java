package dev.tollgate.speckit.internal.tasks;

import dev.tollgate.speckit.internal.tasks.TasksDocument.Dependency;
import dev.tollgate.speckit.internal.tasks.TasksDocument.Ref;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules on dependency statements: every named task or group exists and is not the subject
 * itself, and tasks and groups form no cycle (SK022); a started group does not depend on an
 * unfinished one (SK033).
 */
final class DependencyRules {
  private DependencyRules() {}

  /** One resolved dependency: {@code from} depends on {@code to}, stated at line:column. */
  private record Edge(Node from, Node to, int line, int column, String text) {}

  static void check(TasksDocument doc, Findings f) {
    Set<String> prefixes = new HashSet<>();
    for (Task t : doc.tasks) {
      prefixes.add(t.id.prefix());
    }
    List<Edge> edges = new ArrayList<>();
    for (Dependency d : doc.dependencies) {
      Node subject = d.subject();
      if (subject == null) {
        List<Node> s = resolve(doc, d.subjectRef(), prefixes, null);
        if (s == null || s.size() != 1) {
          continue; // a subject that names nothing known is prose, not a statement to check
        }
        subject = s.get(0);
      }
      for (Ref r : d.objects()) {
        List<Node> targets = resolve(doc, r, prefixes, f);
        if (targets == null) {
          continue;
        }
        for (Node target : targets) {
          if (target == subject) {
            f.add(
                "SK022",
                r.line(),
                r.column(),
                name(subject) + " depends on itself ('" + r.text() + "')",
                "Remove the self-reference; a task or phase cannot wait for itself.");
          } else if (!contains(target, subject)) {
            edges.add(new Edge(subject, target, r.line(), r.column(), r.text()));
          }
        }
      }
    }
    cycles(edges, f);
    started(edges, f);
  }

  /** Whether {@code outer} is a group holding {@code inner} (a task or a sub-group). */
  private static boolean contains(Node outer, Node inner) {
    if (!(outer instanceof Group g)) {
      return false;
    }
    if (inner instanceof Task t) {
      return g.tasks.contains(t);
    }
    for (Group p = ((Group) inner).parent; p != null; p = p.parent) {
      if (p == g) {
        return true;
      }
    }
    return false;
  }

  /**
   * What a reference names; null when it is not a reference to check (an id with a prefix no task
   * uses, a story without a phase). Unknown tasks and phases are reported when {@code f} is given.
   */
  private static List<Node> resolve(TasksDocument doc, Ref r, Set<String> prefixes, Findings f) {
    List<Node> out = new ArrayList<>();
    switch (r.kind()) {
      case STORY -> {
        Group g = doc.storyPhase(TasksParser.parseInt(r.key()));
        if (g == null) {
          return null;
        }
        out.add(g);
      }
      case PHASE -> {
        if (r.key2() == null) {
          Group g = doc.phase(r.key());
          if (g == null) {
            unknown(f, r, "phase " + r.key(), "no heading '## Phase " + r.key() + ": …'");
            return null;
          }
          out.add(g);
        } else {
          int a = TasksParser.parseInt(r.key());
          int b = TasksParser.parseInt(r.key2());
          if (b < a || b - a > 100) {
            return null;
          }
          for (int n = a; n <= b; n++) {
            Group g = doc.phase(Integer.toString(n));
            if (g == null) {
              unknown(f, r, "phase " + n, "no heading '## Phase " + n + ": …'");
            } else {
              out.add(g);
            }
          }
        }
      }
      case ID -> {
        TaskId id = TaskId.parse(r.key());
        if (id == null) {
          return null;
        }
        Group g = doc.groupById(r.key());
        Task t = doc.task(r.key());
        if (r.key2() == null) {
          if (g != null) {
            out.add(g);
          } else if (t != null) {
            out.add(t);
          } else if (id.prefix().equals("T") || prefixes.contains(id.prefix())) {
            unknown(f, r, "task " + r.key(), "no task or group has this id");
            return null;
          } else {
            return null;
          }
        } else {
          // A range: its ends must exist; what lies between may have been removed on purpose.
          TaskId end = TaskId.parse(r.key2());
          if (end == null
              || !end.prefix().equals(id.prefix())
              || !(id.prefix().equals("T") || prefixes.contains(id.prefix()))) {
            return null;
          }
          boolean ok = true;
          for (String k : new String[] {r.key(), r.key2()}) {
            if (doc.task(k) == null && doc.groupById(k) == null) {
              unknown(f, r, "task " + k, "no task or group has this id");
              ok = false;
            }
          }
          if (!ok) {
            return null;
          }
          for (Task x : doc.tasks) {
            if (x.id.prefix().equals(id.prefix())
                && x.id.compareTo(id) >= 0
                && x.id.compareTo(end) <= 0) {
              out.add(x);
            }
          }
        }
      }
    }
    return out;
  }

  private static void unknown(Findings f, Ref r, String what, String why) {
    if (f == null) {
      return;
    }
    f.add(
        "SK022",
        r.line(),
        r.column(),
        "dependency on unknown " + what + " ('" + r.text() + "'): " + why + " in tasks.md",
        "Name an existing task or phase, or remove the dependency if the work was dropped.");
  }

  static String name(Node n) {
    return n instanceof Task t ? "task " + t.id.text() : ((Group) n).name();
  }

  // --- cycles -------------------------------------------------------------------------------

  private static void cycles(List<Edge> edges, Findings f) {
    Map<Node, List<Edge>> out = new LinkedHashMap<>();
    for (Edge e : edges) {
      out.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e);
    }
    Map<Node, Integer> state = new IdentityHashMap<>(); // 1 on the stack, 2 finished
    Set<Node> reported = new HashSet<>();
    for (Node start : out.keySet()) {
      if (state.containsKey(start)) {
        continue;
      }
      // Iterative depth-first search, so that a long chain cannot overflow the stack.
      List<Node> stack = new ArrayList<>();
      List<Integer> next = new ArrayList<>();
      List<Edge> via = new ArrayList<>();
      stack.add(start);
      next.add(0);
      via.add(null);
      state.put(start, 1);
      while (!stack.isEmpty()) {
        int top = stack.size() - 1;
        Node n = stack.get(top);
        List<Edge> es = out.getOrDefault(n, List.of());
        int i = next.get(top);
        if (i >= es.size()) {
          state.put(n, 2);
          stack.remove(top);
          next.remove(top);
          via.remove(top);
          continue;
        }
        next.set(top, i + 1);
        Edge e = es.get(i);
        Integer s = state.get(e.to());
        if (s == null) {
          state.put(e.to(), 1);
          stack.add(e.to());
          next.add(0);
          via.add(e);
        } else if (s == 1 && reported.add(e.to())) {
          int from = stack.indexOf(e.to());
          StringBuilder path = new StringBuilder(label(e.to()));
          for (int k = from + 1; k < stack.size(); k++) {
            path.append(" → ").append(label(stack.get(k)));
          }
          path.append(" → ").append(label(e.to()));
          f.add(
              "SK022",
              e.line(),
              e.column(),
              "dependency cycle: " + path + " (read 'A → B' as 'A depends on B')",
              "Break the cycle: one of these dependencies is wrong or the work must be split.");
        }
      }
    }
  }

  private static String label(Node n) {
    return n instanceof Task t ? t.id.text() : ((Group) n).name();
  }

  // --- SK033 --------------------------------------------------------------------------------

  private enum Progress {
    NOT_STARTED,
    STARTED,
    COMPLETE,
    UNKNOWN
  }

  /** A group's progress: from its checkboxes when it has any, else from its status marker. */
  private static Progress progress(Group g) {
    int[] b = g.boxes();
    if (b[1] > 0) {
      return b[0] == 0 ? Progress.NOT_STARTED : b[0] == b[1] ? Progress.COMPLETE : Progress.STARTED;
    }
    if (g.status == null) {
      return Progress.UNKNOWN;
    }
    return switch (g.status) {
      case COMPLETE -> Progress.COMPLETE;
      case IN_PROGRESS -> Progress.STARTED;
      case NOT_STARTED, BLOCKED -> Progress.NOT_STARTED;
    };
  }

  private static void started(List<Edge> edges, Findings f) {
    Set<List<Node>> seen = new HashSet<>();
    for (Edge e : edges) {
      if (!(e.from() instanceof Group g) || !(e.to() instanceof Group d)) {
        continue;
      }
      Progress pg = progress(g);
      Progress pd = progress(d);
      if ((pg == Progress.STARTED || pg == Progress.COMPLETE)
          && (pd == Progress.NOT_STARTED || pd == Progress.STARTED)
          && seen.add(List.of(g, d))) {
        int[] bg = g.boxes();
        int[] bd = d.boxes();
        f.add(
            "SK033",
            e.line(),
            e.column(),
            g.name()
                + " is "
                + (pg == Progress.COMPLETE ? "done" : "started")
                + describe(bg)
                + " but depends on "
                + d.name()
                + ", which is not complete"
                + describe(bd),
            "Finish "
                + d.name()
                + " first, or correct the dependency if "
                + g.name()
                + " does not need it.");
      }
    }
  }

  private static String describe(int[] boxes) {
    return boxes[1] > 0 ? " (" + boxes[0] + "/" + boxes[1] + " done)" : "";
  }
}
