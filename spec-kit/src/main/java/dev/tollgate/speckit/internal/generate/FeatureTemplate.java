package dev.tollgate.speckit.internal.generate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documents of a new GitHub-layout feature ({@code specs/NNN-slug/}): {@code spec.md}, {@code
 * plan.md} and {@code tasks.md}, shaped like GitHub spec-kit's templates with every placeholder
 * filled from a {@link Draft}.
 */
public final class FeatureTemplate {
  private FeatureTemplate() {}

  /** File name to content, in the order a reader should open them. */
  public static Map<String, String> render(Draft d) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("spec.md", spec(d));
    files.put("plan.md", plan(d, "specs/" + d.folder(), "spec.md", "Feature specification"));
    files.put("tasks.md", tasks(d));
    return files;
  }

  static String spec(Draft d) {
    StringBuilder s = new StringBuilder();
    s.append("# Feature Specification: ").append(d.title()).append("\n\n");
    s.append("**Feature Branch**: `").append(d.folder()).append("`\n\n");
    s.append("**Created**: ").append(d.date()).append("\n\n");
    s.append("**Status**: Draft\n\n");
    s.append("**Input**: ").append(d.description()).append("\n\n");
    s.append("## User Scenarios & Testing *(mandatory)*\n\n");
    s.append(Scenarios.story(d, "###"));
    s.append("### Edge Cases\n\n");
    s.append("- When the input is missing or malformed, the system rejects it with a message")
        .append(" that names the problem and leaves existing data unchanged.\n\n");
    s.append("## Requirements *(mandatory)*\n\n");
    s.append("Each goal of this feature is one functional requirement.\n\n");
    s.append("### Functional Requirements\n\n");
    s.append(Scenarios.requirements(d));
    s.append("## Success Criteria *(mandatory)*\n\n");
    s.append("Each requirement is shown to hold by an automated acceptance test.\n\n");
    s.append("### Measurable Outcomes\n\n");
    s.append(Scenarios.criteria(d));
    s.append("## Assumptions\n\n");
    s.append("- The feature builds on the repository's existing structure and tooling.\n");
    return s.toString();
  }

  static String plan(Draft d, String folder, String specFile, String specKind) {
    StringBuilder s = new StringBuilder();
    s.append("# Implementation Plan: ").append(d.title()).append("\n\n");
    s.append("**Branch**: `")
        .append(d.folder())
        .append("` | **Date**: ")
        .append(d.date())
        .append(" | **Spec**: [")
        .append(specFile)
        .append("](")
        .append(specFile)
        .append(")\n\n");
    s.append("**Input**: ")
        .append(specKind)
        .append(" from `")
        .append(folder)
        .append("/")
        .append(specFile)
        .append("`\n\n");
    s.append("## Summary\n\n");
    s.append(d.description())
        .append(" The plan delivers User Story 1 by meeting ")
        .append(Scenarios.frRange(d))
        .append(".\n\n");
    s.append("## Technical Context\n\n");
    s.append("**Language/Version**: the language and version the repository already uses\n\n");
    s.append("**Primary Dependencies**: none added by this feature\n\n");
    s.append("**Storage**: none added by this feature\n\n");
    s.append("**Testing**: the repository's existing test framework\n\n");
    s.append("**Target Platform**: the platforms the repository already supports\n\n");
    s.append("**Project Type**: single project\n\n");
    s.append("**Performance Goals**: as stated in the success criteria of the spec\n\n");
    s.append("**Constraints**: no change to existing behaviour outside this feature\n\n");
    s.append("**Scale/Scope**: one user story, ")
        .append(d.goals().size())
        .append(d.goals().size() == 1 ? " functional requirement" : " functional requirements")
        .append("\n\n");
    s.append("## Constitution Check\n\n");
    s.append("*GATE: Must pass before research. Re-check after design.*\n\n");
    s.append("- Every functional requirement has an acceptance test: pass.\n");
    s.append("- The feature is independently testable through User Story 1: pass.\n");
    s.append("- No new dependencies or services are introduced: pass.\n\n");
    s.append("## Project Structure\n\n");
    s.append("### Documentation (this feature)\n\n");
    s.append("```text\n").append(folder).append("/\n");
    s.append("├── ").append(specFile).append("    # what and why\n");
    s.append("├── plan.md    # this file\n");
    s.append("└── tasks.md   # the task list\n```\n\n");
    s.append("### Source Code (repository root)\n\n");
    s.append("```text\n");
    s.append("src/").append(d.slug()).append("/      # implementation of the feature\n");
    s.append("tests/").append(d.slug()).append("/    # acceptance tests, one per requirement\n");
    s.append("docs/").append(d.slug()).append(".md   # user documentation\n```\n\n");
    s.append("**Structure Decision**: a single project; the feature lives in `src/")
        .append(d.slug())
        .append("/` with its tests in `tests/")
        .append(d.slug())
        .append("/`.\n");
    return s.toString();
  }

  static String tasks(Draft d) {
    String slug = d.slug();
    List<String> goals = d.goals();
    StringBuilder s = new StringBuilder();
    // Only generated text in tasks.md: free text there could read as a total, a dependency or a
    // status marker to the task rules.
    s.append("# Tasks: ").append(d.folder()).append("\n\n");
    s.append("**Input**: Design documents from `specs/").append(d.folder()).append("/`\n\n");
    s.append("**Prerequisites**: plan.md, spec.md\n\n");
    s.append("## Phase 1: Setup\n\n");
    s.append("**Purpose**: Create the folders the feature lives in\n\n");
    int n = 1;
    s.append("- [ ] ")
        .append(Draft.task(n++))
        .append(" Create the feature folder src/")
        .append(slug)
        .append("/\n");
    s.append("- [ ] ")
        .append(Draft.task(n++))
        .append(" [P] Create the test folder tests/")
        .append(slug)
        .append("/\n\n");
    s.append("## Phase 2: User Story 1 (Priority: P1)\n\n");
    s.append("**Goal**: Deliver User Story 1 of the spec\n\n");
    s.append("**Independent Test**: The acceptance tests in tests/")
        .append(slug)
        .append("/ pass\n\n");
    for (int i = 1; i <= goals.size(); i++) {
      s.append("- [ ] ")
          .append(Draft.task(n++))
          .append(" [P] [US1] Write the acceptance test for ")
          .append(Draft.fr(i))
          .append(" and ")
          .append(Draft.sc(i))
          .append(" in tests/")
          .append(slug)
          .append("/")
          .append(Draft.fr(i).toLowerCase(java.util.Locale.ROOT))
          .append("_test.md\n");
    }
    for (int i = 1; i <= goals.size(); i++) {
      s.append("- [ ] ")
          .append(Draft.task(n++))
          .append(" [US1] Implement ")
          .append(Draft.fr(i))
          .append(" in src/")
          .append(slug)
          .append("/")
          .append(Draft.fr(i).toLowerCase(java.util.Locale.ROOT))
          .append(".md\n");
    }
    s.append("\n## Phase 3: Polish\n\n");
    s.append("**Purpose**: Document the feature for its users\n\n");
    s.append("- [ ] ")
        .append(Draft.task(n))
        .append(" Document the feature in docs/")
        .append(slug)
        .append(".md\n");
    return s.toString();
  }
}
