package dev.tollgate.controlplane;

import java.util.List;

/**
 * What one of the console's forms does, as its audit entry names it, and whether it changes
 * anything: previewing a run, checking a template's text and generating a Spec Kit download change
 * nothing, so they need only the {@code read} scope, work in read-only mode and are not audited,
 * like the API's queries.
 *
 * @param action what the form does, e.g. {@code console: cancel run}
 * @param changesState whether it may change state (then it needs {@code act}, is refused in
 *     read-only mode and is audited)
 */
record ConsoleForm(String action, boolean changesState) {

  /**
   * The form posted to a path, given as its decoded segments, and the {@code do} field that tells
   * the template editor's Check from its Save.
   */
  static ConsoleForm of(List<String> s, String doField) {
    String joined = String.join("/", s);
    if (s.size() == 3 && s.get(0).equals("templates")) {
      return switch (s.get(2)) {
        case "preview" -> query("preview run");
        case "edit" -> "save".equals(doField) ? change("save template") : query("check template");
        case "enqueue" -> change("enqueue run");
        default -> change("POST /" + joined);
      };
    }
    if (s.size() == 2 && s.get(0).equals("spec-kit") && s.get(1).equals("init")) {
      return query("generate Spec Kit folder");
    }
    if (s.size() == 4 && s.get(0).equals("items") && s.get(2).equals("actions")) {
      return change("perform work-item action");
    }
    if (s.size() == 1 && s.get(0).equals("items")) {
      return change("create work item");
    }
    if (s.size() == 3 && s.get(0).equals("items") && s.get(2).equals("fields")) {
      return change("change work-item fields");
    }
    if (s.size() == 3 && s.get(0).equals("runs") && isOneOf(s.get(2), "cancel", "retry")) {
      return change(s.get(2) + " run");
    }
    if (!s.isEmpty() && s.get(0).equals("operations")) {
      List<String> o = s.subList(1, s.size());
      if (o.size() == 3 && o.get(0).equals("environments") && isOneOf(o.get(2), "hold", "unlock")) {
        return change(o.get(2) + " environment");
      }
      if (o.size() == 1 && o.get(0).equals("promotions")) {
        return change("propose promotion");
      }
      if (o.size() == 3
          && o.get(0).equals("promotions")
          && isOneOf(o.get(2), "approve", "deploy")) {
        return change(o.get(2) + " promotion");
      }
      if (o.size() == 1 && o.get(0).equals("changes")) {
        return change("open change request");
      }
      if (o.size() == 3 && o.get(0).equals("changes") && isOneOf(o.get(2), "approve", "reject")) {
        return change(o.get(2) + " change request");
      }
    }
    return change("POST /" + joined);
  }

  private static boolean isOneOf(String verb, String a, String b) {
    return verb.equals(a) || verb.equals(b);
  }

  private static ConsoleForm change(String what) {
    return new ConsoleForm("console: " + what, true);
  }

  private static ConsoleForm query(String what) {
    return new ConsoleForm("console: " + what, false);
  }
}
