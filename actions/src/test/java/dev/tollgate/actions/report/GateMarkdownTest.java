package dev.tollgate.actions.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Location;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.core.gate.Verdict;
import dev.tollgate.policy.GateFinding;
import dev.tollgate.policy.MergeVerdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gate's Markdown: versions in decreasing detail, the passing verdict, titles. */
class GateMarkdownTest {
  private static final Recovery FIX =
      Recovery.of(
          "Secrets leak from history",
          "secrets gate",
          "Remove the secret and rotate it",
          "Retry after rotating");

  private static final GateHeading HEADING =
      new GateHeading(
          "main",
          "bf/BF-274-x",
          "e5bd3914e2e596debea16f433f57875b5b90bcd6",
          ".tollgate/policy.yml",
          Optional.of("main"),
          Optional.of("https://github.com/o/r/actions/runs/42"),
          List.of("changed files: 3 from the GitHub API"));

  private static MergeVerdict blocked(int places) {
    List<GateFinding> found = new ArrayList<>();
    for (int i = 1; i <= places; i++) {
      found.add(
          new GateFinding(
              Location.of("src/F" + i + ".java", i, 1),
              "src/F"
                  + i
                  + ".java:"
                  + i
                  + " contains what looks like a private key "
                  + "x".repeat(400)));
    }
    return new MergeVerdict(
        Verdict.of(
            List.of(
                GateResult.pass("pr-size", "3 files changed"),
                GateResult.pass("required-labels", "no labels are required"),
                GateResult.blocked("secrets", places + " secrets found", FIX))),
        Map.of("secrets", found));
  }

  @Test
  void the_most_detailed_version_lists_every_gate_and_every_fix() {
    String full = GateMarkdown.versions(blocked(1), HEADING, "").get(0);
    assertThat(full)
        .startsWith(
            "### ⛔ Merge gate: 1 of 3 gates block\n\n"
                + "⛔ **`secrets`**: 1 secrets found\\\n"
                + "**Cause:** Secrets leak from history\\\n"
                + "**Next step:** Remove the secret and rotate it\n\n"
                + "<sub>`bf/BF-274-x` (`e5bd391`) into `main`")
        .contains("- **Safe retry:** Retry after rotating")
        .contains("- **Policy:** secrets gate")
        .contains("- **At** `src/F1.java:1:1`: src/F1.java:1 contains")
        .contains("[How this gate works](docs/policy.md#pull-request-rules)")
        .contains("- `pr-size`: 3 files changed\n")
        .contains("- `required-labels`: no labels are required\n");
  }

  @Test
  void
      the_first_screen_holds_the_verdict_then_each_fix_and_the_passing_gates_come_last_collapsed() {
    String full = GateMarkdown.versions(blocked(60), HEADING, "").get(0);
    int nextStep = full.indexOf("**Next step:**");
    int context = full.indexOf("<sub>");
    int retry = full.indexOf("**Safe retry:**");
    int firstPlace = full.indexOf("**At**");
    int passing = full.indexOf("<details><summary>✅ 2 gates pass</summary>");
    assertThat(nextStep).isPositive().isLessThan(context);
    assertThat(context).isLessThan(retry);
    assertThat(retry).isLessThan(firstPlace);
    assertThat(firstPlace).isLessThan(passing);
    assertThat(full.substring(passing)).contains("`pr-size`").endsWith("</details>\n");
    // One verdict, no table (tables scroll sideways on a phone), no Spec Kit report wording.
    assertThat(full.split("Merge gate", -1)).hasSize(2);
    assertThat(full).doesNotContain("| --- |").doesNotContain("feature");
    assertThat(full).contains("- 10 more places not shown");
  }

  @Test
  void a_spec_kit_place_links_its_rule_page() {
    MergeVerdict v =
        new MergeVerdict(
            Verdict.of(List.of(GateResult.blocked("spec-kit", "1 Spec Kit error", FIX))),
            Map.of(
                "spec-kit",
                List.of(
                    new GateFinding(
                        Location.of("specs/001-a/tasks.md", 12, 1),
                        "SK019 Task id T014 is used twice (first at line 11)"))));
    assertThat(GateMarkdown.versions(v, HEADING, "https://example.com/tollgate/").get(0))
        .contains(
            "- **At** `specs/001-a/tasks.md:12:1`: [SK019](https://example.com/tollgate/docs/rules/SK019.md)"
                + " Task id T014 is used twice (first at line 11)\n");
  }

  @Test
  void a_place_links_to_its_line_at_the_head_commit_when_the_source_is_on_the_web() {
    GateHeading linked =
        new GateHeading(
            "main",
            "bf/BF-274-x",
            "e5bd3914e2e596debea16f433f57875b5b90bcd6",
            ".tollgate/policy.yml",
            Optional.of("main"),
            Optional.empty(),
            List.of(),
            Optional.of("https://github.com/o/r/blob/e5bd3914e2e596debea16f433f57875b5b90bcd6/"));
    MergeVerdict v =
        new MergeVerdict(
            Verdict.of(List.of(GateResult.blocked("secrets", "2 secrets found", FIX))),
            Map.of(
                "secrets",
                List.of(
                    new GateFinding(Location.of("src/a b#(1).env", 2, 19), "a key"),
                    new GateFinding(Location.ofFile("keys/server.pem"), "a private key"))));
    assertThat(GateMarkdown.versions(v, linked, "").get(0))
        .contains(
            "- **At** [`src/a b#(1).env:2:19`](https://github.com/o/r/blob/"
                + "e5bd3914e2e596debea16f433f57875b5b90bcd6/src/a%20b%23%281%29.env#L2): a key\n")
        .contains(
            "- **At** [`keys/server.pem`](https://github.com/o/r/blob/"
                + "e5bd3914e2e596debea16f433f57875b5b90bcd6/keys/server.pem): a private key\n");
  }

  @Test
  void every_gate_passing_shows_the_list_open() {
    MergeVerdict pass =
        new MergeVerdict(
            Verdict.of(List.of(GateResult.pass("pr-size", "ok"), GateResult.pass("secrets", "ok"))),
            Map.of());
    assertThat(GateMarkdown.versions(pass, HEADING, "").get(0))
        .startsWith("### ✅ Merge gate: all 2 gates pass\n\n<sub>")
        .contains("<details open><summary>✅ 2 gates pass</summary>")
        .doesNotContain("Safe retry");
  }

  @Test
  void less_detailed_versions_name_passing_gates_only_then_cap_places_then_keep_only_the_fixes() {
    List<String> v = GateMarkdown.versions(blocked(30), HEADING, "");
    assertThat(v).hasSize(4);
    assertThat(v.get(1))
        .doesNotContain("3 files changed")
        .contains("`pr-size`, `required-labels`")
        .contains("src/F30.java");
    assertThat(v.get(2))
        .contains("src/F5.java")
        .doesNotContain("src/F6.java")
        .contains("- 25 more places not shown")
        .contains(
            "_The full report is in the [job summary](https://github.com/o/r/actions/runs/42)._");
    assertThat(v.get(3))
        .doesNotContain("**At**")
        .doesNotContain("**Cause:**")
        .contains("⛔ **`secrets`**: 30 secrets found\\\n**Next step:** Remove the secret");
    for (int i = 1; i < v.size(); i++) {
      assertThat(utf8(v.get(i))).as("version %d", i).isLessThan(utf8(v.get(i - 1)));
    }
  }

  @Test
  void the_markdown_format_prints_the_most_detailed_version_that_fits() {
    List<String> v = GateMarkdown.versions(blocked(30), HEADING, "");
    assertThat(GateMarkdown.fitting(blocked(30), HEADING, "", 1_000_000)).isEqualTo(v.get(0));
    assertThat(GateMarkdown.fitting(blocked(30), HEADING, "", utf8(v.get(2)))).isEqualTo(v.get(2));
    assertThat(GateMarkdown.fitting(blocked(30), HEADING, "", 10)).isEqualTo(v.get(3));
  }

  @Test
  void the_passing_verdict_is_short() {
    MergeVerdict pass =
        new MergeVerdict(
            Verdict.of(List.of(GateResult.pass("pr-size", "ok"), GateResult.pass("secrets", "ok"))),
            Map.of());
    assertThat(GateMarkdown.passing(pass, HEADING))
        .isEqualTo(
            "### ✅ Merge gate: pass\n\nAll 2 gates pass at `e5bd391`"
                + " ([run](https://github.com/o/r/actions/runs/42)).\n");
    assertThat(GateMarkdown.title(pass)).isEqualTo("Merge gate: pass (2 gates)");
    assertThat(GateMarkdown.description(pass)).isEqualTo("every gate passes (2)");
  }

  @Test
  void title_and_description_name_the_gates_that_did_not_pass() {
    assertThat(GateMarkdown.title(blocked(1)))
        .isEqualTo("Merge gate: blocked (1 of 3 gates block)");
    assertThat(GateMarkdown.description(blocked(1))).isEqualTo("blocked: secrets");
  }

  @Test
  void the_summary_adds_where_the_facts_came_from() {
    assertThat(GateMarkdown.summary(blocked(1), HEADING, ""))
        .contains("<details><summary>Where the facts came from</summary>")
        .contains("- changed files: 3 from the GitHub API");
  }

  @Test
  void repository_text_cannot_break_out_of_its_code_span_or_mention_anyone() {
    GateHeading hostile =
        new GateHeading(
            "main",
            "evil`</sub><img src=x>",
            "e5bd3914e2e596debea16f433f57875b5b90bcd6",
            ".tollgate/policy.yml",
            Optional.empty(),
            Optional.empty(),
            List.of());
    MergeVerdict v =
        new MergeVerdict(
            Verdict.of(List.of(GateResult.blocked("secrets", "ping @security-team", FIX))),
            Map.of());
    String full = GateMarkdown.versions(v, hostile, "").get(0);
    assertThat(full).contains("`evil'</sub><img src=x>`").doesNotContain("@security-team");
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
