package dev.tollgate.speckit.internal.tasks;

import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.speckit.internal.shared.SpecFacts;
import dev.tollgate.speckit.internal.tasks.TasksDocument.Citation;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * The rules that tie tasks to the spec: story labels (SK021) and coverage of stories, requirements
 * and success criteria (SK025).
 */
final class StoryRules {
  private StoryRules() {}

  static void check(TasksDocument doc, TasksContext ctx, Findings f) {
    Optional<SpecFacts> spec = ctx.spec();
    TreeSet<Integer> covered = new TreeSet<>();
    Matcher storyLabel = Syntax.STORY_LABEL.matcher("");
    Matcher badStoryLabel = Syntax.BAD_STORY_LABEL.matcher("");
    for (Task t : doc.tasks) {
      labels(t, spec, covered, f, storyLabel, badStoryLabel);
    }
    spec.ifPresent(s -> coverage(doc, s, covered, f));
  }

  // --- SK021 --------------------------------------------------------------------------------

  private static void labels(
      Task t,
      Optional<SpecFacts> spec,
      TreeSet<Integer> covered,
      Findings f,
      Matcher storyLabel,
      Matcher badStoryLabel) {
    int labelled = 0;
    Task.Marker firstLabel = null;
    for (Task.Marker m : t.markers) {
      String text = m.text().strip();
      Matcher us = storyLabel.reset(text);
      if (us.matches()) {
        int n = TasksParser.parseInt(us.group(1));
        labelled++;
        if (firstLabel == null) {
          firstLabel = m;
        }
        covered.add(n);
        if (spec.isPresent()
            && !spec.get().stories().isEmpty()
            && !spec.get().stories().containsKey(n)) {
          f.add(
              "SK021",
              Severity.ERROR,
              t.line,
              m.column(),
              "task "
                  + t.id.text()
                  + " is labelled ["
                  + text
                  + "] but spec.md has no user story "
                  + n
                  + " (stories: "
                  + storyList(spec.get())
                  + ")",
              "Use the label of the story this task serves, or add the story to spec.md.");
        } else if (t.group != null && t.group.kind == Group.Kind.STORY && t.group.story != n) {
          f.add(
              "SK021",
              Severity.WARNING,
              t.line,
              m.column(),
              "task "
                  + t.id.text()
                  + " is labelled ["
                  + text
                  + "] but sits in the phase of user"
                  + " story "
                  + t.group.story
                  + ": expected [US"
                  + t.group.story
                  + "]",
              "Move the task to the phase of user story " + n + " or fix its label.");
        }
      } else if (text.equals("Story") || text.equals("USn") || text.equals("US#")) {
        continue; // the template's own placeholder, reported by the template-leftover rule
      } else if (badStoryLabel.reset(text).matches() && !text.equals("P")) {
        labelled++;
        if (firstLabel == null) {
          firstLabel = m;
        }
        f.add(
            "SK021",
            Severity.ERROR,
            t.line,
            m.column(),
            "task "
                + t.id.text()
                + " has story label ["
                + text
                + "]: expected [USn] naming a"
                + " user story of spec.md",
            "Label story tasks [US1], [US2] …; tasks of setup, foundational and polish phases"
                + " carry no story label.");
      }
    }
    if (t.group == null) {
      return;
    }
    Group.Kind kind = t.group.kind;
    if (kind == Group.Kind.STORY) {
      covered.add(t.group.story);
      if (labelled == 0) {
        f.add(
            "SK021",
            Severity.WARNING,
            t.line,
            t.column,
            "task "
                + t.id.text()
                + " in the phase of user story "
                + t.group.story
                + " has no story label: expected [US"
                + t.group.story
                + "]",
            "Add [US" + t.group.story + "] after the id (and after [P] if present).");
      }
    } else if (labelled > 0
        && (kind == Group.Kind.SETUP
            || kind == Group.Kind.FOUNDATIONAL
            || kind == Group.Kind.POLISH)
        && storyLabel.reset(firstLabel.text().strip()).matches()) {
      f.add(
          "SK021",
          Severity.WARNING,
          t.line,
          firstLabel.column(),
          "task "
              + t.id.text()
              + " in "
              + kindName(kind)
              + " phase "
              + t.group.name()
              + " carries story label ["
              + firstLabel.text().strip()
              + "]: expected no label",
          "Remove the label, or move the task into the phase of that user story.");
    }
  }

  private static String kindName(Group.Kind k) {
    return switch (k) {
      case SETUP -> "setup";
      case FOUNDATIONAL -> "foundational";
      case POLISH -> "polish";
      default -> "story";
    };
  }

  private static String storyList(SpecFacts spec) {
    StringBuilder sb = new StringBuilder();
    for (Integer n : spec.stories().keySet()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(n);
    }
    return sb.length() == 0 ? "none" : sb.toString();
  }

  // --- SK025 --------------------------------------------------------------------------------

  private static void coverage(
      TasksDocument doc, SpecFacts spec, TreeSet<Integer> covered, Findings f) {
    if (!doc.tasks.isEmpty() && !spec.stories().isEmpty()) {
      TreeSet<Integer> missing = new TreeSet<>(spec.stories().keySet());
      missing.removeAll(covered);
      if (covered.isEmpty()) {
        // No task maps to any story: one finding for the file rather than one per story.
        f.add(
            "SK025",
            Severity.ERROR,
            1,
            1,
            "no task is mapped to a user story: spec.md declares stories "
                + storyList(spec)
                + " but no task carries a [USn] label or sits in a User Story phase",
            "Group the tasks into '## Phase N: User Story n - …' phases or label them [USn].");
      } else {
        for (Integer n : missing) {
          f.add(
              "SK025",
              Severity.ERROR,
              1,
              1,
              "user story "
                  + n
                  + " of spec.md has no task: expected tasks labelled [US"
                  + n
                  + "] or a User Story "
                  + n
                  + " phase",
              "Add the tasks that deliver user story " + n + ", or remove the story from spec.md.");
        }
      }
    }
    Map<String, TreeMap<Integer, String>> declared = new HashMap<>();
    declared.put("FR", numbered(spec.requirements()));
    declared.put("SC", numbered(spec.criteria()));
    BitSet citedFr = new BitSet();
    boolean anyFr = false;
    int firstFrLine = 1;
    int firstFrColumn = 1;
    for (Citation c : doc.citations) {
      TreeMap<Integer, String> ids = declared.get(c.kind());
      boolean single = c.from() == c.to();
      for (int n : single ? new int[] {c.from()} : new int[] {c.from(), c.to()}) {
        // A spec that declares no ids of this kind (a prd, say) cannot make a citation unknown.
        if (!ids.isEmpty() && !ids.containsKey(n)) {
          f.add(
              "SK025",
              Severity.ERROR,
              c.line(),
              c.column(),
              (c.task() != null ? "task " + c.task().id.text() : "tasks.md")
                  + " cites "
                  + c.kind()
                  + "-"
                  + pad(n, ids)
                  + ", which spec.md does not declare",
              "Cite an id spec.md declares ("
                  + range(ids, c.kind())
                  + "), or add the "
                  + (c.kind().equals("FR") ? "requirement" : "criterion")
                  + " to spec.md.");
        }
      }
      if (c.kind().equals("FR") && c.task() != null) {
        if (!anyFr) {
          firstFrLine = c.line();
          firstFrColumn = c.column();
        }
        anyFr = true;
        if (c.to() - c.from() <= 10_000) {
          citedFr.set(c.from(), c.to() + 1);
        }
      }
    }
    // Requirements are traced per id only where the tasks show that convention (their task lines
    // cite at least half of the FRs). Below that, most tasks.md files map tasks to stories, not
    // requirements, and one warning per FR would bury everything else: one summary says it.
    int declaredFr = declared.get("FR").size();
    if (!anyFr || declaredFr == 0) {
      return;
    }
    int tracedFr = 0;
    for (Integer n : declared.get("FR").keySet()) {
      if (citedFr.get(n)) {
        tracedFr++;
      }
    }
    if (tracedFr * 2 < declaredFr) {
      f.add(
          "SK025",
          Severity.WARNING,
          firstFrLine,
          firstFrColumn,
          "tasks cite only "
              + tracedFr
              + " of the "
              + declaredFr
              + " functional requirements of"
              + " spec.md: expected every FR to be referenced by a task",
          "Cite the FR ids each task implements (e.g. '… (FR-003)'), so that coverage can be"
              + " checked.");
      return;
    }
    for (Map.Entry<Integer, String> e : declared.get("FR").entrySet()) {
      if (!citedFr.get(e.getKey())) {
        Location at = spec.requirements().get(e.getValue());
        f.addAt(
            "SK025",
            Severity.WARNING,
            at,
            e.getValue()
                + " is not referenced by any task in "
                + doc.file.relativePath()
                + ": expected at least one task citing it",
            "Add a task that implements " + e.getValue() + " and cite the id in it.");
      }
    }
  }

  private static TreeMap<Integer, String> numbered(Map<String, Location> ids) {
    TreeMap<Integer, String> out = new TreeMap<>();
    for (String id : ids.keySet()) {
      int dash = id.indexOf('-');
      String digits = id.substring(dash + 1);
      if (dash > 0 && !digits.isEmpty() && digits.length() <= 9 && allDigits(digits)) {
        out.putIfAbsent(Integer.parseInt(digits), id);
      }
    }
    return out;
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static String pad(int n, TreeMap<Integer, String> ids) {
    int width =
        ids.isEmpty()
            ? 3
            : ids.firstEntry().getValue().length() - ids.firstEntry().getValue().indexOf('-') - 1;
    String s = Integer.toString(n);
    StringBuilder sb = new StringBuilder();
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s).toString();
  }

  private static String range(TreeMap<Integer, String> ids, String kind) {
    if (ids.isEmpty()) {
      return "it declares no " + kind + " ids";
    }
    return ids.firstEntry().getValue() + "…" + ids.lastEntry().getValue();
  }
}
