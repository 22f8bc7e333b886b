package dev.tollgate.speckit.internal.tasks;

import dev.tollgate.speckit.internal.tasks.TasksDocument.Malformed;
import dev.tollgate.speckit.internal.tasks.TasksDocument.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The rules on task lines themselves: well-formed lines (SK018), unique ids (SK019), ids in order
 * without gaps (SK020) and a file path in each task (SK026).
 */
final class TaskLineRules {
  private TaskLineRules() {}

  private static final Set<String> KNOWN_ROOTS =
      Set.of(
          "src",
          "test",
          "tests",
          "lib",
          "libs",
          "docs",
          "doc",
          "app",
          "apps",
          "internal",
          "pkg",
          "cmd",
          "modules",
          "packages",
          "spec",
          "specs",
          "scripts",
          "config",
          "configs",
          "backend",
          "frontend",
          "api",
          "web",
          "tools",
          "examples",
          "hooks",
          "assets",
          "resources",
          "public");

  /** File names without an extension that a task may name in a code span. */
  private static final Set<String> PLAIN_FILES =
      Set.of(
          "Makefile",
          "Dockerfile",
          "Jenkinsfile",
          "Gemfile",
          "Procfile",
          "Rakefile",
          "LICENSE",
          "README",
          "CODEOWNERS",
          "Containerfile",
          "Brewfile",
          "Justfile",
          "Vagrantfile");

  private static final Set<String> ABBREVIATIONS = Set.of("e.g", "i.e", "vs.", "etc", "a.k.a");

  static void check(TasksDocument doc, TasksContext ctx, Findings f) {
    malformed(doc, f);
    markers(doc, f);
    duplicatesAndOrder(doc, f);
    if (ctx.githubLayout()) {
      paths(doc, f);
    }
  }

  // --- SK018 --------------------------------------------------------------------------------

  /**
   * A story label in any spelling: {@code US1}, {@code us 1}, {@code Story1}, {@code user-story 1}.
   */
  private static final java.util.regex.Pattern STORY_LIKE =
      java.util.regex.Pattern.compile("(?i)(?:us|story|user[ _-]?story)[ _-]?(\\d{1,6})");

  /**
   * Markers spelt differently from the format ({@code [p]} for {@code [P]}, {@code [Story1]} or
   * {@code [us1]} for {@code [US1]}): tools that read tasks.md match them exactly, so a misspelt
   * marker silently loses the parallel flag or the story link.
   */
  private static void markers(TasksDocument doc, Findings f) {
    for (Task t : doc.tasks) {
      for (Task.Marker m : t.markers) {
        String text = m.text().strip();
        String expected = null;
        if (text.equalsIgnoreCase("P") && !text.equals("P")) {
          expected = "P";
        } else {
          Matcher story = STORY_LIKE.matcher(text);
          if (story.matches() && !text.equals("US" + story.group(1))) {
            expected = "US" + Integer.parseInt(story.group(1));
          }
        }
        if (expected != null) {
          f.add(
              "SK018",
              t.line,
              m.column(),
              "task " + t.id.text() + " has marker [" + text + "]: expected [" + expected + "]",
              "Write markers exactly as '[P]' and '[US1]', after the task id and before the"
                  + " description.");
        }
      }
    }
  }

  private static void malformed(TasksDocument doc, Findings f) {
    for (Malformed m : doc.malformed) {
      if (m.problem() == Problem.BAD_CHECKBOX) {
        boolean taskish = m.group() == null || !m.group().nonTask;
        if (taskish) {
          f.add(
              "SK018",
              m.line(),
              m.column(),
              "task checkbox " + m.text() + " is malformed: expected '[ ]', '[x]' or '[X]'",
              "Write the checkbox as '- [ ] T001 …' (open) or '- [x] T001 …' (done).");
        }
      } else if (doc.tasks.isEmpty() && noIds(doc) > 1) {
        if (m == firstNoId(doc)) {
          f.add(
              "SK018",
              m.line(),
              m.column(),
              "none of the "
                  + noIds(doc)
                  + " checkbox tasks has a task id (first: '"
                  + abbreviate(m.text())
                  + "'): expected '- [ ] T001 …'",
              "Number the tasks T001, T002, … in execution order, so that dependencies, progress"
                  + " and the other task rules can refer to them.");
        }
      } else if (m.depth() == 0 && inTaskSection(m.group())) {
        // Only top-level checkbox items under a heading that lists tasks (or names a phase):
        // checklists such as "Validation Checklist" hold id-less boxes on purpose.
        f.add(
            "SK018",
            m.line(),
            m.column(),
            "checkbox item in "
                + (m.group() == null ? "tasks.md" : m.group().name())
                + " has no task id: expected '- [ ] T### …' but was '"
                + abbreviate(m.text())
                + "'",
            "Give the item the next free task id (e.g. '- [ ] T012 …'), or move it out of the"
                + " task phase if it is not a task.");
      }
    }
    // A file that writes every task without a checkbox follows one (older) style consistently:
    // one finding says so instead of one per line. Mixed files get one finding per line, since
    // there the missing box is a slip and progress tracking silently skips that task.
    List<Task> bare = new ArrayList<>();
    int boxed = 0;
    for (Task t : doc.tasks) {
      if (t.checkbox) {
        boxed++;
      } else if (isBare(doc, t)) {
        bare.add(t);
      }
    }
    if (bare.isEmpty()) {
      return;
    }
    if (boxed == 0) {
      Task first = bare.get(0);
      f.add(
          "SK018",
          first.line,
          first.itemColumn,
          "all "
              + bare.size()
              + " tasks are written without a checkbox (first: "
              + first.id.text()
              + "): expected '- [ ] "
              + first.id.text()
              + " …'",
          "Start every task line with '- [ ] ' (or '- [x] ' when done) so that progress can be"
              + " tracked and checked.");
      return;
    }
    for (Task t : bare) {
      f.add(
          "SK018",
          t.line,
          t.itemColumn,
          "task "
              + t.id.text()
              + " has no checkbox: expected '- [ ] "
              + t.id.text()
              + " …' like the other "
              + boxed
              + " tasks",
          "Add '[ ] ' (or '[x] ' when done) before the id.");
    }
  }

  private static int noIds(TasksDocument doc) {
    int n = 0;
    for (Malformed m : doc.malformed) {
      if (m.problem() == Problem.NO_ID) {
        n++;
      }
    }
    return n;
  }

  private static Malformed firstNoId(TasksDocument doc) {
    for (Malformed m : doc.malformed) {
      if (m.problem() == Problem.NO_ID) {
        return m;
      }
    }
    return null;
  }

  /** A task without a checkbox that is not already reported as a malformed checkbox. */
  private static boolean isBare(TasksDocument doc, Task t) {
    for (Malformed m : doc.malformed) {
      if (m.line() == t.line && m.problem() == Problem.BAD_CHECKBOX) {
        return false;
      }
    }
    return true;
  }

  private static boolean inTaskSection(Group g) {
    if (g == null || g.nonTask) {
      return false;
    }
    return g.directTasks > 0 || g.phaseLike;
  }

  // --- SK019 / SK020 ------------------------------------------------------------------------

  private static void duplicatesAndOrder(TasksDocument doc, Findings f) {
    Map<String, Task> first = new HashMap<>();
    Map<String, Task> previous = new HashMap<>();
    for (Task t : doc.tasks) {
      Task earlier = first.putIfAbsent(t.id.text(), t);
      if (earlier != null) {
        f.add(
            "SK019",
            t.line,
            t.column,
            "duplicate task id " + t.id.text() + " (first at line " + earlier.line + ")",
            "Give this task the next free id; ids must be unique so that dependencies and"
                + " progress refer to one task.");
        continue;
      }
      Task prev = previous.put(t.id.prefix(), t);
      if (prev == null) {
        continue;
      }
      order(doc, prev, t, f);
    }
  }

  private static void order(TasksDocument doc, Task prev, Task t, Findings f) {
    TaskId a = prev.id;
    TaskId b = t.id;
    if (b.compareTo(a) < 0) {
      f.add(
          "SK020",
          t.line,
          t.column,
          "task id "
              + b.text()
              + " comes after "
              + a.text()
              + " (line "
              + prev.line
              + "): expected ids to increase in file order",
          "Renumber the tasks in execution order, or move "
              + b.text()
              + " to where its number"
              + " belongs.");
      return;
    }
    // Gaps are judged between siblings only (same prefix, same depth, same parent parts), and not
    // around letter suffixes such as T072b, which are insertions by design.
    if (!a.suffix().isEmpty() || !b.suffix().isEmpty() || a.parts().size() != b.parts().size()) {
      return;
    }
    int n = a.parts().size();
    if (!a.parts().subList(0, n - 1).equals(b.parts().subList(0, n - 1))) {
      return;
    }
    int last = a.parts().get(n - 1);
    int next = b.parts().get(n - 1);
    if (next > last + 1) {
      String expected = a.withLast(last + 1);
      if (doc.groupById(expected) != null) {
        return; // the ids in between are tasks written as headings ("### T003 [P] …")
      }
      Task later = doc.task(expected);
      if (later != null && later.line > t.line) {
        f.add(
            "SK020",
            t.line,
            t.column,
            "task id "
                + b.text()
                + " follows "
                + a.text()
                + ": "
                + expected
                + " comes later in the file (line "
                + later.line
                + "), so the ids are not in file order",
            "Renumber the tasks in execution order, or move the tasks to where their numbers"
                + " belong.");
        return;
      }
      String missing =
          next == last + 2
              ? a.withLast(last + 1)
              : a.withLast(last + 1) + "–" + a.withLast(next - 1);
      f.add(
          "SK020",
          t.line,
          t.column,
          "task id "
              + b.text()
              + " follows "
              + a.text()
              + ": expected "
              + a.withLast(last + 1)
              + ", so "
              + missing
              + " "
              + (next == last + 2 ? "is" : "are")
              + " missing",
          "Renumber the tasks without gaps, or restore the removed task.");
    }
  }

  // --- SK026 --------------------------------------------------------------------------------

  private static void paths(TasksDocument doc, Findings f) {
    List<Task> without = new ArrayList<>();
    Matcher code = Syntax.CODE_SPAN.matcher("");
    Matcher path = Syntax.PATH_TOKEN.matcher("");
    for (Task t : doc.tasks) {
      if (!hasPath(t.text, code, path)) {
        without.add(t);
      }
    }
    if (without.isEmpty()) {
      return;
    }
    if (without.size() == doc.tasks.size() && without.size() > 1) {
      // The whole file is written without paths: one finding for the style, not one per line.
      Task first = without.get(0);
      f.add(
          "SK026",
          first.line,
          first.column,
          "none of the "
              + without.size()
              + " tasks names a file (first: "
              + first.id.text()
              + "): expected each task to say which file it changes",
          "Add the path of the file each task creates or changes, e.g. '… in src/models/user.py'.");
      return;
    }
    for (Task t : without) {
      f.add(
          "SK026",
          t.line,
          t.column,
          "task " + t.id.text() + " names no file: expected a path such as src/models/user.py",
          "Add the path of the file the task creates or changes.");
    }
  }

  /**
   * Whether a task description names a file or folder; {@code code} and {@code path} are matchers
   * of {@link Syntax#CODE_SPAN} and {@link Syntax#PATH_TOKEN} to reuse.
   */
  static boolean hasPath(String text, Matcher code, Matcher path) {
    code.reset(text);
    while (text.indexOf('`') >= 0 && code.find()) {
      String c = code.group(1);
      if (c.indexOf('/') >= 0
          || c.indexOf('\\') >= 0
          || looksLikeFile(c.strip())
          || PLAIN_FILES.contains(c.strip())) {
        return true;
      }
    }
    // Every PATH_TOKEN match has a '/' or a '.' and lies inside one run of token characters, so
    // the search may start at the run that holds the first of them: the positions before it, where
    // the pattern would backtrack through every word, cannot start a match.
    int from = pathSearchStart(text, 0);
    if (from < 0) {
      return false;
    }
    Matcher m = path.reset(text);
    while (from >= 0 && m.find(from)) {
      from = pathSearchStart(text, m.end());
      String tok = m.group();
      while (!tok.isEmpty() && ".,".indexOf(tok.charAt(tok.length() - 1)) >= 0) {
        tok = tok.substring(0, tok.length() - 1); // sentence punctuation, not part of the path
      }
      if (tok.indexOf('\\') >= 0) {
        return true; // a Windows path such as c:\\app\\src or src\\models\\
      }
      int slash = tok.indexOf('/');
      if (slash < 0) {
        if (looksLikeFile(tok)) {
          return true;
        }
        continue;
      }
      // "Open/update" and "save/load/delete" are words; a path has an extension, a leading or
      // trailing slash, braces, a non-letter in a segment, or starts at a well-known folder.
      String lastSegment = tok.substring(tok.lastIndexOf('/') + 1);
      if (tok.startsWith("/")
          || tok.startsWith("./")
          || tok.startsWith("~")
          || tok.endsWith("/")
          || looksLikeFile(lastSegment)
          || KNOWN_ROOTS.contains(tok.substring(0, slash))) {
        return true;
      }
      for (int i = 0; i < tok.length(); i++) {
        char c = tok.charAt(i);
        if (c != '/' && c != '-' && !Character.isLetter(c)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Where a search for the next {@link Syntax#PATH_TOKEN} match at or after {@code from} may start:
   * the start of the run of token characters that holds the first '/' or '.' at or after {@code
   * from} (not before {@code from}), or -1 when there is none.
   */
  private static int pathSearchStart(String text, int from) {
    int n = text.length();
    int k = from;
    while (k < n && text.charAt(k) != '/' && text.charAt(k) != '.' && text.charAt(k) != '\\') {
      k++;
    }
    if (k >= n) {
      return -1;
    }
    while (k > from && isPathTokenChar(text.charAt(k - 1))) {
      k--;
    }
    return k;
  }

  /** Whether a character can be part of a {@link Syntax#PATH_TOKEN} match. */
  private static boolean isPathTokenChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "_@{},[]*<>$.-~/\\:".indexOf(c) >= 0;
  }

  private static boolean looksLikeFile(String tok) {
    int dot = tok.lastIndexOf('.');
    if (dot <= 0 || dot == tok.length() - 1) {
      return false;
    }
    if (ABBREVIATIONS.contains(tok.toLowerCase(java.util.Locale.ROOT))) {
      return false;
    }
    char c = tok.charAt(dot + 1);
    return Character.isLetter(c) && dot >= 1 && !(dot == 1 && tok.length() == 3);
  }

  private static String abbreviate(String s) {
    String t = s.strip();
    return t.length() > 60 ? t.substring(0, 57) + "…" : t;
  }
}
