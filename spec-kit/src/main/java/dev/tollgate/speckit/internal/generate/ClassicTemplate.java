package dev.tollgate.speckit.internal.generate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documents of a new classic kit ({@code spec/<name>/}): {@code constitution.md}, {@code
 * prd.md}, {@code plan.md} and {@code tasks.md}, filled from a {@link Draft}.
 */
public final class ClassicTemplate {
  private ClassicTemplate() {}

  /** File name to content, in the order a reader should open them. */
  public static Map<String, String> render(Draft d) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("constitution.md", constitution(d));
    files.put("prd.md", prd(d));
    files.put(
        "plan.md", FeatureTemplate.plan(d, "spec/" + d.folder(), "prd.md", "Product requirements"));
    files.put("tasks.md", tasks(d));
    return files;
  }

  static String constitution(Draft d) {
    StringBuilder s = new StringBuilder();
    s.append("# ").append(d.title()).append(" Constitution\n\n");
    s.append("## Core Principles\n\n");
    s.append("### I. Requirements First\n\n");
    s.append("Every change starts from a requirement in prd.md and is traced to it by a task.\n\n");
    s.append("### II. Tested Behaviour\n\n");
    s.append("Every functional requirement has an automated acceptance test that passes.\n\n");
    s.append("### III. Small Steps\n\n");
    s.append("Work is delivered in small, independently reviewable tasks.\n\n");
    s.append("## Governance\n\n");
    s.append("This constitution guides every plan of this kit; amendments are reviewed like")
        .append(" code and raise the version.\n\n");
    s.append("**Version**: 1.0.0 | **Ratified**: ")
        .append(d.date())
        .append(" | **Last Amended**: ")
        .append(d.date())
        .append("\n");
    return s.toString();
  }

  static String prd(Draft d) {
    StringBuilder s = new StringBuilder();
    s.append("# Product Requirements: ").append(d.title()).append("\n\n");
    s.append("**Created**: ").append(d.date()).append("\n\n");
    s.append("**Status**: Draft\n\n");
    s.append("## Overview\n\n");
    s.append("Users need this: ").append(d.description()).append("\n\n");
    s.append("## User Stories\n\n");
    s.append(Scenarios.story(d, "###"));
    s.append("## Requirements\n\n");
    s.append("Each goal of this kit is one functional requirement.\n\n");
    s.append("### Functional Requirements\n\n");
    s.append(Scenarios.requirements(d));
    s.append("## Acceptance Criteria\n\n");
    s.append("The kit is accepted when every criterion below holds.\n\n");
    s.append(Scenarios.criteria(d));
    return s.toString();
  }

  static String tasks(Draft d) {
    String slug = d.slug();
    List<String> goals = d.goals();
    StringBuilder s = new StringBuilder();
    s.append("# Tasks: ").append(d.folder()).append("\n\n");
    s.append("## Phase 1: Setup\n\n");
    int n = 1;
    s.append("- [ ] ")
        .append(Draft.task(n++))
        .append(" Create the folder src/")
        .append(slug)
        .append("/\n\n");
    s.append("## Phase 2: User Story 1 (Priority: P1)\n\n");
    for (int i = 1; i <= goals.size(); i++) {
      s.append("- [ ] ")
          .append(Draft.task(n++))
          .append(" [US1] Implement ")
          .append(Draft.fr(i))
          .append(" with an acceptance test for ")
          .append(Draft.sc(i))
          .append(" in src/")
          .append(slug)
          .append("/\n");
    }
    s.append("\n## Phase 3: Polish\n\n");
    s.append("- [ ] ")
        .append(Draft.task(n))
        .append(" Document the kit in docs/")
        .append(slug)
        .append(".md\n");
    return s.toString();
  }
}
