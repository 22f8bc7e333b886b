package dev.tollgate.speckit.internal.generate;

import java.util.List;

/**
 * The parts a GitHub-layout spec and a classic PRD share: the user story with its acceptance
 * scenarios, the functional requirements and the success criteria.
 */
final class Scenarios {
  private Scenarios() {}

  static String story(Draft d, String heading) {
    StringBuilder s = new StringBuilder();
    s.append(heading).append(" User Story 1 - ").append(d.title()).append(" (Priority: P1)\n\n");
    s.append("Users need this: ").append(d.description()).append("\n\n");
    s.append("**Why this priority**: It is the core of this feature; nothing else in it is")
        .append(" useful without it.\n\n");
    s.append("**Independent Test**: Can be fully tested by running the acceptance scenarios")
        .append(" below on their own.\n\n");
    s.append("**Acceptance Scenarios**:\n\n");
    List<String> goals = d.goals();
    for (int i = 1; i <= goals.size(); i++) {
      s.append(i)
          .append(". **Given** the feature is in place, **When** a user relies on ")
          .append(Draft.fr(i))
          .append(", **Then** the system meets it: ")
          .append(goals.get(i - 1))
          .append("\n");
    }
    s.append("\n");
    return s.toString();
  }

  static String requirements(Draft d) {
    StringBuilder s = new StringBuilder();
    List<String> goals = d.goals();
    for (int i = 1; i <= goals.size(); i++) {
      s.append("- **")
          .append(Draft.fr(i))
          .append("**: System MUST meet this goal: ")
          .append(goals.get(i - 1))
          .append("\n");
    }
    s.append("\n");
    return s.toString();
  }

  static String criteria(Draft d) {
    StringBuilder s = new StringBuilder();
    for (int i = 1; i <= d.goals().size(); i++) {
      s.append("- **")
          .append(Draft.sc(i))
          .append("**: The acceptance test for ")
          .append(Draft.fr(i))
          .append(" passes on every run.\n");
    }
    s.append("\n");
    return s.toString();
  }

  static String frRange(Draft d) {
    int n = d.goals().size();
    return n == 1 ? Draft.fr(1) : Draft.fr(1) + " to " + Draft.fr(n);
  }
}
