package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.GateStatus;
import dev.tollgate.core.repo.ChangeSet;
import dev.tollgate.core.repo.ChangeType;
import dev.tollgate.core.repo.ChangedFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One passing and one blocked case per pull-request gate, through {@link MergeGate}. */
class PullRequestGatesTest {
  @TempDir Path root;

  static final String POLICY =
      String.join(
          "\n",
          "lanes:",
          "  ready:",
          "  in-progress:",
          "  done: {terminal: true}",
          "pull_request:",
          "  eligible_lanes: [in-progress]",
          "  max_files: 3",
          "  max_lines: 10",
          "  touched_directories: [src]",
          "  required_labels: [ok]",
          "  required_approvals: 2",
          "  spec_kit: off",
          "  secrets:",
          "    exclude: ['src/fixtures/**']",
          "");

  private MergeGate gate(String policy) throws Exception {
    Files.createDirectories(root.resolve("work-items"));
    Files.writeString(
        root.resolve("work-items/wi-BF-274.yml"),
        "id: wi-BF-274\ntitle: T\nlane: in-progress\nstatus: in-progress\n");
    Files.writeString(
        root.resolve("work-items/wi-BF-1.yml"),
        "id: wi-BF-1\ntitle: T\nlane: ready\nstatus: open\n");
    return MergeGate.load(root, policy, ".tollgate/policy.yml", getClass().getClassLoader());
  }

  private static ChangedFile file(String path, int added, String content) {
    return new ChangedFile(
        path, Optional.empty(), ChangeType.ADDED, added, 0, false, Optional.of(content));
  }

  /** Facts whose content reader returns the blob id itself as the file's text. */
  private static PullRequestFacts facts(
      String branch, Set<String> labels, OptionalInt approvals, ChangedFile... files) {
    return new PullRequestFacts(
        Optional.ofNullable(branch),
        Optional.empty(),
        labels,
        approvals,
        new ChangeSet("b", "h", List.of(files)),
        List.of(),
        f -> f.blobId().map(s -> s.getBytes(StandardCharsets.UTF_8)));
  }

  private static GateResult result(MergeVerdict v, String gate) {
    return v.verdict().result(gate).orElseThrow();
  }

  @Test
  void a_clean_pull_request_passes_every_gate() throws Exception {
    MergeVerdict v =
        gate(POLICY)
            .evaluate(
                facts("bf/BF-274-x", Set.of("ok"), OptionalInt.of(2), file("src/A.java", 3, "a")),
                Clock.systemUTC());
    assertThat(v.verdict().failures()).isEmpty();
    assertThat(v.verdict().results())
        .extracting(GateResult::gate)
        .isEqualTo(PullRequestGates.DEFAULT_ORDER);
    assertThat(v.findings()).isEmpty();
  }

  @Test
  void each_gate_blocks_with_recovery_guidance() throws Exception {
    String secret = "token=" + "ghp_" + "a".repeat(36);
    MergeVerdict v =
        gate(POLICY)
            .evaluate(
                facts(
                    "bf/BF-1-x",
                    Set.of(),
                    OptionalInt.of(1),
                    file("src/A.java", 5, "a"),
                    file("src/B.java", 5, secret),
                    file("src/fixtures/C.txt", 1, secret),
                    file("lib/D.java", 1, "d")),
                Clock.systemUTC());
    assertThat(v.verdict().status()).isEqualTo(GateStatus.BLOCKED);
    assertThat(result(v, "work-item-reference").status()).isEqualTo(GateStatus.PASS);
    assertThat(result(v, "lane-eligibility").reason())
        .isEqualTo("wi-BF-1 is in lane ready, which is not eligible for merging");
    assertThat(result(v, "pr-size").reason())
        .isEqualTo("4 files changed; the limit is 3; 12 lines changed; the limit is 10");
    assertThat(v.findingsOf("pr-size"))
        .extracting(f -> f.location().toString())
        .containsExactly(".tollgate/policy.yml:7:3", ".tollgate/policy.yml:8:3");
    assertThat(v.findingsOf("touched-directories"))
        .extracting(f -> f.location().file())
        .containsExactly("lib/D.java");
    assertThat(result(v, "required-labels").reason()).isEqualTo("missing required labels: ok");
    assertThat(result(v, "required-approvals").reason()).isEqualTo("1 of 2 required approvals");
    assertThat(result(v, "spec-kit").status()).isEqualTo(GateStatus.PASS);
    assertThat(v.findingsOf("secrets"))
        .extracting(f -> f.location().toString())
        .containsExactly("src/B.java:1:7");
    for (GateResult r : v.verdict().failures()) {
      assertThat(r.reason()).doesNotContain("aaaaaaaa");
      assertThat(r.recovery().orElseThrow().toString()).doesNotContain("aaaaaaaa");
    }
  }

  @Test
  void a_missing_referenced_item_blocks_both_reference_and_lane() throws Exception {
    MergeVerdict v =
        gate(POLICY)
            .evaluate(facts("bf/BF-9-x", Set.of("ok"), OptionalInt.of(2)), Clock.systemUTC());
    assertThat(result(v, "work-item-reference").reason())
        .isEqualTo("the branch references wi-BF-9, which does not exist");
    assertThat(result(v, "work-item-reference").recovery().orElseThrow().nextStep())
        .isEqualTo("Create work-items/wi-BF-9.yml (or fix the key in the branch)");
    assertThat(result(v, "lane-eligibility").status()).isEqualTo(GateStatus.BLOCKED);
  }

  @Test
  void a_custom_pattern_and_id_template_find_the_item() throws Exception {
    String policy =
        "lanes:\n  in-progress:\npull_request:\n  gates: [work-item-reference]\n  work_item:\n"
            + "    pattern: '^[a-z]+/(?<key>[0-9]+)'\n    id: 'wi-BF-{key}'\n";
    MergeVerdict v =
        gate(policy).evaluate(facts("bf/274-x", Set.of(), OptionalInt.empty()), Clock.systemUTC());
    assertThat(v.verdict().results()).hasSize(1);
    assertThat(v.verdict().passed()).isTrue();
  }

  @Test
  void without_a_rules_section_every_gate_runs_with_defaults() throws Exception {
    MergeVerdict v =
        gate("lanes:\n  in-progress:\n  done: {terminal: true}\n")
            .evaluate(
                facts("bf/BF-274-x", Set.of(), OptionalInt.empty(), file("x", 1, "x")),
                Clock.systemUTC());
    assertThat(v.verdict().passed()).as(v.verdict().explain()).isTrue();
    assertThat(result(v, "pr-size").reason())
        .isEqualTo("1 file and 1 line changed; no size limit is configured");
  }

  @Test
  void approvals_and_commit_messages_are_read_only_when_a_gate_may_use_them() throws Exception {
    MergeGate full = gate(POLICY);
    assertThat(full.readsApprovals()).as("required_approvals: 2").isTrue();
    assertThat(full.readsCommitMessages()).as("default sources: branch, title").isFalse();

    MergeGate defaults = gate("lanes:\n  in-progress:\n  done: {terminal: true}\n");
    assertThat(defaults.readsApprovals()).as("no approvals required").isFalse();

    MergeGate commits =
        gate(
            "lanes:\n  in-progress:\npull_request:\n  gates: [work-item-reference]\n"
                + "  work_item:\n    from: [branch, commits]\n");
    assertThat(commits.readsCommitMessages()).isTrue();
    assertThat(commits.readsApprovals()).isFalse();

    MergeGate sizeOnly =
        gate(
            "lanes:\n  in-progress:\npull_request:\n  gates: [pr-size]\n"
                + "  required_approvals: 3\n  work_item:\n    from: [commits]\n");
    assertThat(sizeOnly.readsApprovals()).as("required-approvals does not run").isFalse();
    assertThat(sizeOnly.readsCommitMessages()).as("no gate looks for a reference").isFalse();

    // A custom gate may read any fact, so everything is looked up for it.
    dev.tollgate.core.gate.Gate custom =
        new dev.tollgate.core.gate.Gate() {
          @Override
          public String id() {
            return "team-rule";
          }

          @Override
          public String description() {
            return "a custom gate";
          }

          @Override
          public GateResult evaluate(dev.tollgate.core.gate.GateContext context) {
            return GateResult.pass(id(), "ok");
          }
        };
    MergeGate withCustom =
        MergeGate.of(
            root,
            sizeOnly.policy(),
            new PullRequestRules(
                ".tollgate/policy.yml",
                List.of("pr-size", "team-rule"),
                PullRequestRules.WorkItemReference.defaults(),
                List.of(),
                OptionalInt.empty(),
                java.util.OptionalLong.empty(),
                List.of(),
                Set.of(),
                0,
                PullRequestRules.SpecKitScope.OFF,
                List.of(),
                Map.of()),
            dev.tollgate.core.workitem.FileWorkItemStore.open(root),
            PullRequestGates.registry(getClass().getClassLoader()).with(List.of(custom)));
    assertThat(withCustom.readsApprovals()).isTrue();
    assertThat(withCustom.readsCommitMessages()).isTrue();
  }

  @Test
  void an_unknown_gate_is_bad_input_with_did_you_mean() {
    assertThatThrownBy(() -> gate("lanes:\n  a:\npull_request:\n  gates: [pr-sise]\n"))
        .isInstanceOf(TollgateException.class)
        .hasMessage(
            ".tollgate/policy.yml:4:11: pull_request.gates[0] names the gate 'pr-sise', which is"
                + " not installed; did you mean `pr-size`?");
  }

  @Test
  void gates_report_an_error_without_pull_request_facts() {
    for (var g : PullRequestGates.all()) {
      GateResult r =
          g.evaluate(
              new dev.tollgate.core.gate.GateContext() {
                @Override
                public Path projectRoot() {
                  return Path.of(".");
                }

                @Override
                public Optional<String> actor() {
                  return Optional.empty();
                }

                @Override
                public Clock clock() {
                  return Clock.systemUTC();
                }

                @Override
                public <T> Optional<T> facts(Class<T> type) {
                  return Optional.empty();
                }
              });
      assertThat(r.status()).as(g.id()).isEqualTo(GateStatus.ERROR);
    }
  }

  @Test
  void spec_kit_touched_validates_only_kits_the_pr_changes() throws Exception {
    Files.createDirectories(root.resolve(".specify/memory"));
    Files.writeString(
        root.resolve(".specify/memory/constitution.md"),
        "# Constitution\n\n## Principles\n\nBe good.\n");
    Files.createDirectories(root.resolve("specs/001-a"));
    Files.writeString(root.resolve("specs/001-a/spec.md"), "# Feature\n");
    String policy =
        "lanes:\n  in-progress:\npull_request:\n  gates: [spec-kit]\n  spec_kit: touched\n";
    MergeGate g = gate(policy);
    MergeVerdict untouched =
        g.evaluate(
            facts(null, Set.of(), OptionalInt.empty(), file("src/A.java", 1, "a")),
            Clock.systemUTC());
    assertThat(result(untouched, "spec-kit").reason()).isEqualTo("the PR changes no Spec Kit file");
    MergeVerdict touched =
        g.evaluate(
            facts(null, Set.of(), OptionalInt.empty(), file("specs/001-a/spec.md", 1, "a")),
            Clock.systemUTC());
    assertThat(result(touched, "spec-kit").status())
        .as(touched.verdict().explain())
        .isEqualTo(GateStatus.BLOCKED);
    assertThat(touched.findingsOf("spec-kit")).isNotEmpty();
    assertThat(touched.findingsOf("spec-kit").get(0).location().file()).startsWith("specs/001-a/");
  }

  @Test
  void findings_are_capped_and_the_reason_counts_every_path() throws Exception {
    List<ChangedFile> files = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      files.add(file("out/F" + i, 1, "x"));
    }
    String policy =
        "lanes:\n  a:\npull_request:\n  gates: [touched-directories]\n  touched_directories: [src/]\n";
    MergeVerdict v =
        gate(policy)
            .evaluate(
                facts(null, Set.of(), OptionalInt.empty(), files.toArray(ChangedFile[]::new)),
                Clock.systemUTC());
    assertThat(v.findingsOf("touched-directories")).hasSize(100);
    assertThat(result(v, "touched-directories").reason())
        .startsWith("150 changed paths are outside");
    assertThat(Map.copyOf(v.findings())).containsOnlyKeys("touched-directories");
  }
}
