package dev.tollgate.speckit;

import static dev.tollgate.speckit.KitFixture.CONSTITUTION;
import static dev.tollgate.speckit.KitFixture.PLAN;
import static dev.tollgate.speckit.KitFixture.SPEC;
import static dev.tollgate.speckit.KitFixture.TASKS;
import static dev.tollgate.speckit.KitFixture.column;
import static dev.tollgate.speckit.KitFixture.replace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.report.Report;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One failing and one passing fixture per rule of the validator core. */
class SpecKitRulesFixturesTest {
  @TempDir Path dir;

  private static final String F = "specs/001-login/";

  private KitFixture kit() {
    return KitFixture.github(dir).feature("001-login");
  }

  private static void assertOne(
      List<Diagnostic> found, Severity severity, String file, int line, int column) {
    assertThat(found).hasSize(1);
    Diagnostic d = found.get(0);
    assertThat(d.severity()).isEqualTo(severity);
    assertThat(d.location()).isEqualTo(Location.of(file, line, column));
    assertThat(d.hint()).isPresent();
  }

  @Test
  void passing_kit_has_no_findings() {
    KitFixture k = kit().write(F + "tasks.md", TASKS);
    Report r = k.validate();
    assertThat(
            r.findings().stream().filter(d -> !d.ruleId().matches("SK(018|019|02[0-6]|031|033)")))
        .isEmpty();
    assertThat(r.sections()).extracting(s -> s.path()).containsExactly("", "specs/001-login");
    assertThat(r.files()).isEqualTo(4);
  }

  @Nested
  class SK001 {
    @Test
    void reports_tasks_without_plan() {
      KitFixture k = kit().write(F + "tasks.md", TASKS).delete(F + "plan.md");
      assertOne(k.findings("SK001"), Severity.ERROR, F + "tasks.md", 0, 0);
      assertThat(k.findings("SK001").get(0).message()).contains("plan.md is missing");
    }

    @Test
    void reports_plan_without_spec() {
      KitFixture k = kit().delete(F + "spec.md");
      assertOne(k.findings("SK001"), Severity.ERROR, F + "plan.md", 0, 0);
    }

    @Test
    void reports_feature_folder_without_spec() {
      KitFixture k = KitFixture.github(dir).write("specs/002-empty/notes.md", "# Notes\n\nSome.\n");
      assertOne(k.findings("SK001"), Severity.ERROR, "specs/002-empty", 0, 0);
    }

    @Test
    void accepts_complete_stages() {
      assertThat(kit().write(F + "tasks.md", TASKS).findings("SK001")).isEmpty();
    }
  }

  @Nested
  class SK002 {
    @Test
    void reports_duplicate_feature_prefix() {
      KitFixture k = kit().feature("001-signup");
      assertOne(k.findings("SK002"), Severity.ERROR, "specs/001-signup", 0, 0);
      assertThat(k.findings("SK002").get(0).message())
          .isEqualTo("feature folders specs/001-login and specs/001-signup share the number 001");
      assertThat(k.validate().sections().get(0).findings())
          .extracting(Diagnostic::ruleId)
          .contains("SK002");
    }

    @Test
    void accepts_distinct_prefixes() {
      assertThat(kit().feature("002-signup").findings("SK002")).isEmpty();
    }
  }

  @Nested
  class SK003 {
    @Test
    void reports_feature_folder_without_number() {
      KitFixture k = KitFixture.github(dir).feature("login");
      assertOne(k.findings("SK003"), Severity.WARNING, "specs/login", 0, 0);
      assertThat(k.findings("SK003").get(0).hint()).contains("Rename it, e.g. to 001-login.");
    }

    @Test
    void accepts_numbered_and_timestamp_folders() {
      KitFixture k = kit().feature("20250102-101500-signup");
      assertThat(k.findings("SK003")).isEmpty();
    }
  }

  @Nested
  class SK004 {
    @Test
    void reports_missing_constitution() {
      KitFixture k = KitFixture.bare(dir).feature("001-login");
      assertOne(k.findings("SK004"), Severity.WARNING, ".specify/memory/constitution.md", 0, 0);
    }

    @Test
    void accepts_old_layout_constitution() {
      KitFixture k =
          KitFixture.bare(dir).feature("001-login").write("memory/constitution.md", CONSTITUTION);
      assertThat(k.findings("SK004")).isEmpty();
    }
  }

  @Nested
  class SK005 {
    private static final String C = ".specify/memory/constitution.md";

    @Test
    void reports_non_semantic_version() {
      String text = replace(CONSTITUTION, "**Version**: 1.0.0", "**Version**: 1.0");
      KitFixture k = kit().write(C, text);
      assertOne(k.findings("SK005"), Severity.ERROR, C, 11, 14);
      assertThat(k.findings("SK005").get(0).message())
          .isEqualTo(
              "constitution version '1.0' is not semantic; expected MAJOR.MINOR.PATCH such as 1.0.0");
    }

    @Test
    void reports_non_iso_date() {
      String text = replace(CONSTITUTION, "**Ratified**: 2025-01-02", "**Ratified**: 02/01/2025");
      KitFixture k = kit().write(C, text);
      assertOne(k.findings("SK005"), Severity.ERROR, C, 11, column(text, 11, "02/01/2025"));
    }

    @Test
    void reports_leftover_token() {
      String text = replace(CONSTITUTION, "# Demo Constitution", "# [PROJECT_NAME] Constitution");
      KitFixture k = kit().write(C, text);
      assertOne(k.findings("SK005"), Severity.ERROR, C, 1, 3);
    }

    @Test
    void accepts_filled_constitution() {
      assertThat(kit().findings("SK005")).isEmpty();
    }
  }

  @Nested
  class SK006 {
    @Test
    void reports_spec_without_success_criteria() {
      String text = replace(SPEC, "## Success Criteria *(mandatory)*", "## Outcomes");
      KitFixture k = kit().write(F + "spec.md", text);
      assertOne(k.findings("SK006"), Severity.ERROR, F + "spec.md", 0, 0);
      assertThat(k.findings("SK006").get(0).message())
          .isEqualTo("spec.md has no 'Success Criteria' section");
    }

    @Test
    void reports_prd_without_acceptance_criteria() {
      KitFixture k =
          KitFixture.bare(dir)
              .write("spec/billing/constitution.md", CONSTITUTION)
              .write("spec/billing/prd.md", "# PRD: Billing\n\n## Goals\n\nInvoices.\n");
      assertOne(k.findings("SK006"), Severity.ERROR, "spec/billing/prd.md", 0, 0);
    }

    @Test
    void accepts_spec_and_prd_with_their_sections() {
      KitFixture k =
          kit()
              .write("spec/billing/constitution.md", CONSTITUTION)
              .write(
                  "spec/billing/prd.md",
                  "# PRD\n\n## Acceptance Criteria\n\n- Invoices are sent.\n");
      assertThat(k.findings("SK006")).isEmpty();
    }
  }

  @Nested
  class SK007 {
    @Test
    void reports_template_placeholder() {
      String text =
          replace(
              SPEC, "# Feature Specification: Login", "# Feature Specification: [FEATURE NAME]");
      KitFixture k = kit().write(F + "spec.md", text);
      assertOne(k.findings("SK007"), Severity.ERROR, F + "spec.md", 1, 26);
    }

    @Test
    void reports_template_text_in_tasks() {
      KitFixture k =
          kit().write(F + "tasks.md", TASKS + "\nACTION REQUIRED: replace these tasks.\n");
      assertOne(k.findings("SK007"), Severity.ERROR, F + "tasks.md", 7, 1);
    }

    @Test
    void ignores_placeholder_in_code_and_comments() {
      String text = SPEC + "\nThe template says `[FEATURE NAME]`.\n\n<!-- ACTION REQUIRED -->\n";
      assertThat(kit().write(F + "spec.md", text).findings("SK007")).isEmpty();
    }
  }

  @Nested
  class SK008 {
    private final String unclear =
        replace(
            SPEC, "by email and password.", "by [NEEDS CLARIFICATION: which identity provider?].");

    @Test
    void reports_clarification_as_error_once_plan_exists() {
      KitFixture k = kit().write(F + "spec.md", unclear);
      assertOne(
          k.findings("SK008"), Severity.ERROR, F + "spec.md", 20, column(unclear, 20, "[NEEDS"));
    }

    @Test
    void reports_clarification_as_warning_before_planning() {
      KitFixture k = kit().write(F + "spec.md", unclear).delete(F + "plan.md");
      assertOne(
          k.findings("SK008"), Severity.WARNING, F + "spec.md", 20, column(unclear, 20, "[NEEDS"));
    }

    @Test
    void warns_about_more_than_three_markers() {
      String many =
          unclear
              + "\n[NEEDS CLARIFICATION: a]\n\n[NEEDS CLARIFICATION: b]\n\n[NEEDS CLARIFICATION: c]\n";
      KitFixture k = kit().write(F + "spec.md", many).delete(F + "plan.md");
      List<Diagnostic> found = k.findings("SK008");
      assertThat(found).hasSize(5);
      assertThat(found)
          .filteredOn(d -> d.message().contains("has 4"))
          .singleElement()
          .satisfies(d -> assertThat(d.location().line()).isEqualTo(31));
    }

    @Test
    void accepts_resolved_spec_and_mentions_of_the_marker() {
      String text = SPEC + "\nNo [NEEDS CLARIFICATION] markers remain.\n";
      assertThat(kit().write(F + "spec.md", text).findings("SK008")).isEmpty();
    }
  }

  @Nested
  class SK009 {
    @Test
    void reports_placeholder_word() {
      String text = replace(PLAN, "Email login.", "Email login. TODO: decide on SSO.");
      KitFixture k = kit().write(F + "plan.md", text);
      assertOne(k.findings("SK009"), Severity.WARNING, F + "plan.md", 5, 14);
    }

    @Test
    void reports_question_marks_in_tasks() {
      KitFixture k = kit().write(F + "tasks.md", TASKS + "\nOwner: ???\n");
      assertOne(k.findings("SK009"), Severity.WARNING, F + "tasks.md", 7, 8);
    }

    @Test
    void ignores_code_links_and_longer_words() {
      String text =
          PLAN + "\nSee `TODO` and [the TODOs page](https://example.com/TBD).\n\n```\nTODO\n```\n";
      assertThat(kit().write(F + "plan.md", text).findings("SK009")).isEmpty();
    }
  }

  @Nested
  class SK010 {
    @Test
    void reports_story_without_priority() {
      String text =
          replace(SPEC, "### User Story 1 - Sign in (Priority: P1)", "### User Story 1 - Sign in");
      KitFixture k = kit().write(F + "spec.md", text);
      assertOne(k.findings("SK010"), Severity.ERROR, F + "spec.md", 8, 1);
      assertThat(k.findings("SK010").get(0).message())
          .isEqualTo("user story 1 has no (Priority: Pn)");
    }

    @Test
    void reports_duplicate_story_number() {
      String story =
          "### User Story 1 — Sign out (Priority: P2)\n\n1. **Given** a session, **When** the user signs out, **Then** it ends.\n\n";
      String text =
          replace(SPEC, "## Requirements *(mandatory)*", story + "## Requirements *(mandatory)*");
      KitFixture k = kit().write(F + "spec.md", text);
      assertOne(k.findings("SK010"), Severity.ERROR, F + "spec.md", 16, 1);
      assertThat(k.findings("SK010").get(0).message())
          .isEqualTo("user story 1 is declared twice (first at line 8)");
    }

    @Test
    void accepts_em_dash_story_with_priority() {
      String text = replace(SPEC, "User Story 1 - Sign in", "User Story 1 – Sign in");
      assertThat(kit().write(F + "spec.md", text).findings("SK010")).isEmpty();
    }
  }

  @Nested
  class SK011 {
    @Test
    void reports_story_without_scenario() {
      String text =
          replace(
              SPEC,
              "1. **Given** a registered user, **When** they submit valid credentials, **Then** they see the dashboard.",
              "1. The user sees the dashboard.");
      KitFixture k = kit().write(F + "spec.md", text);
      assertOne(k.findings("SK011"), Severity.ERROR, F + "spec.md", 8, 1);
    }

    @Test
    void accepts_story_with_given_when_then() {
      assertThat(kit().findings("SK011")).isEmpty();
    }
  }

  @Nested
  class SK013 {
    @Test
    void reports_malformed_id() {
      String text = replace(SPEC, "**FR-002**", "**FR-2**");
      KitFixture k = kit().write(F + "spec.md", text);
      assertOne(k.findings("SK013"), Severity.ERROR, F + "spec.md", 21, 5);
    }

    @Test
    void reports_duplicate_id() {
      String text = replace(SPEC, "**FR-002**", "**FR-001**");
      KitFixture k = kit().write(F + "spec.md", text);
      assertOne(k.findings("SK013"), Severity.ERROR, F + "spec.md", 21, 5);
      assertThat(k.findings("SK013").get(0).message())
          .isEqualTo("FR-001 is declared twice (first at line 20)");
    }

    @Test
    void warns_about_gap_in_numbering() {
      String text = replace(SPEC, "**FR-002**", "**FR-004**");
      KitFixture k = kit().write(F + "spec.md", text);
      assertOne(k.findings("SK013"), Severity.WARNING, F + "spec.md", 21, 5);
      assertThat(k.findings("SK013").get(0).message())
          .isEqualTo("FR-004 follows FR-001: FR-002 to FR-003 are missing");
    }

    @Test
    void accepts_sequential_ids_and_letter_suffix() {
      String text =
          replace(SPEC, "- **FR-002**", "- **FR-001a**: System MUST log sign-ins.\n- **FR-002**");
      assertThat(kit().write(F + "spec.md", text).findings("SK013")).isEmpty();
    }
  }

  @Nested
  class SK014 {
    @Test
    void reports_requirement_without_obligation() {
      String text = replace(SPEC, "System MUST lock", "System should lock");
      KitFixture k = kit().write(F + "spec.md", text);
      assertOne(k.findings("SK014"), Severity.WARNING, F + "spec.md", 21, 5);
    }

    @Test
    void accepts_must_and_shall() {
      String text = replace(SPEC, "System MUST lock", "System SHALL lock");
      assertThat(kit().write(F + "spec.md", text).findings("SK014")).isEmpty();
    }
  }

  @Nested
  class SK016 {
    @Test
    void reports_empty_section() {
      String text = PLAN + "\n## Complexity Tracking\n\n<!-- nothing yet -->\n";
      KitFixture k = kit().write(F + "plan.md", text);
      assertOne(k.findings("SK016"), Severity.WARNING, F + "plan.md", 19, 1);
    }

    @Test
    void accepts_section_with_subsections() {
      String text = PLAN + "\n## Complexity Tracking\n\n### None\n\nNo violations.\n";
      assertThat(kit().write(F + "plan.md", text).findings("SK016")).isEmpty();
    }
  }

  @Nested
  class SK017 {
    @Test
    void reports_plan_without_constitution_check() {
      String text = replace(PLAN, "## Constitution Check", "## Gates");
      KitFixture k = kit().write(F + "plan.md", text);
      assertOne(k.findings("SK017"), Severity.ERROR, F + "plan.md", 0, 0);
      assertThat(k.findings("SK017").get(0).message())
          .isEqualTo("plan.md has no 'Constitution Check' section");
    }

    @Test
    void accepts_complete_plan() {
      assertThat(kit().findings("SK017")).isEmpty();
    }
  }

  @Nested
  class SK027 {
    @Test
    void reports_unchecked_and_duplicate_items() {
      String list =
          "# Checklist\n\n- [x] CHK001 Spec is complete\n- [ ] CHK002 Plan is reviewed\n- [X] CHK001 Again\n";
      KitFixture k = kit().write(F + "checklists/requirements.md", list);
      List<Diagnostic> found = k.findings("SK027");
      assertThat(found)
          .extracting(d -> d.location().line(), d -> d.location().column(), Diagnostic::severity)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(4, 3, Severity.WARNING),
              org.assertj.core.groups.Tuple.tuple(5, 7, Severity.WARNING));
      assertThat(found.get(0).message())
          .isEqualTo("1 of 3 checklist items are unchecked (first: CHK002)");
      assertThat(found.get(1).message()).isEqualTo("CHK001 is used twice (first at line 3)");
    }

    @Test
    void accepts_completed_checklist() {
      String list = "# Checklist\n\n- [x] CHK001 Spec is complete\n- [X] CHK002 Plan is reviewed\n";
      assertThat(kit().write(F + "checklists/requirements.md", list).findings("SK027")).isEmpty();
    }
  }

  @Nested
  class SK028 {
    @Test
    void reports_broken_relative_link() {
      String text = PLAN + "\nSee [the research](./research.md).\n";
      KitFixture k = kit().write(F + "plan.md", text);
      assertOne(k.findings("SK028"), Severity.WARNING, F + "plan.md", 19, 5);
      assertThat(k.findings("SK028").get(0).message())
          .isEqualTo(
              "link target './research.md' does not exist (looked for specs/001-login/research.md)");
    }

    @Test
    void accepts_existing_relative_external_and_anchor_links() {
      String text =
          PLAN
              + "\nSee [spec](spec.md#requirements), [root](/specs/001-login/plan.md), [web](https://example.com/x.md) and [top](#summary).\n";
      assertThat(kit().write(F + "plan.md", text).findings("SK028")).isEmpty();
    }
  }

  @Nested
  class SK029 {
    @Test
    void reports_home_folder_path() {
      String text = TASKS + "\n- [ ] T002 Edit /Users/alice/repo/src/App.java\n";
      KitFixture k = kit().write(F + "tasks.md", text);
      assertOne(k.findings("SK029"), Severity.INFO, F + "tasks.md", 7, 17);
    }

    @Test
    void reports_windows_path_and_home_folder_in_code_span() {
      String text = PLAN + "\nBuilt in C:\\work\\login and `/home/bob/login`.\n";
      KitFixture k = kit().write(F + "plan.md", text);
      assertThat(k.findings("SK029"))
          .extracting(d -> d.location().column())
          .containsExactly(10, 29);
    }

    @Test
    void ignores_code_blocks_and_urls() {
      String text = PLAN + "\nSee https://example.com/home/docs.\n\n```\ncd /Users/alice\n```\n";
      assertThat(kit().write(F + "plan.md", text).findings("SK029")).isEmpty();
    }
  }

  @Nested
  class SK032 {
    @Test
    void reports_windows1252_mojibake() {
      String text = replace(PLAN, "Email login.", "Users donâ€™t need passwords.");
      KitFixture k = kit().write(F + "plan.md", text);
      assertOne(k.findings("SK032"), Severity.WARNING, F + "plan.md", 5, 10);
      assertThat(k.findings("SK032").get(0).hint().orElseThrow()).startsWith("Probably '\u2019'");
    }

    @Test
    void reports_mac_roman_mojibake() {
      String text = replace(PLAN, "Email login.", "Status: \u201a\u00fa\u00d6 done");
      KitFixture k = kit().write(F + "plan.md", text);
      assertOne(k.findings("SK032"), Severity.WARNING, F + "plan.md", 5, 9);
      assertThat(k.findings("SK032").get(0).hint().orElseThrow()).startsWith("Probably '\u2705'");
    }

    @Test
    void accepts_real_accents_and_quotes() {
      String text = replace(PLAN, "Email login.", "Users don’t need a café — ✅ “Ökonomie”.");
      assertThat(kit().write(F + "plan.md", text).findings("SK032")).isEmpty();
    }
  }
}
