package dev.tollgate.cli.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.actions.github.Sleeper;
import dev.tollgate.cli.TollgateCommand;
import dev.tollgate.cli.common.Seams;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end tests of {@code tollgate gate} on Git repositories built in the test with JGit. */
class GateCommandTest {
  @TempDir Path dir;
  private Git git;
  private int tick;

  // Key material assembled at run time so that this source file itself holds no secret.
  private static final String KEY_BODY =
      "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7" + "VJTUt9Us8cKj";
  private static final String PRIVATE_KEY =
      "-----BEGIN " + "PRIVATE KEY-----\n" + KEY_BODY + "\n-----END " + "PRIVATE KEY-----\n";
  private static final String AWS_KEY = "AKIA" + "IOSFODNN7EXAMPL3";

  static final String POLICY =
      String.join(
          "\n",
          "version: 1",
          "lanes:",
          "  ready:",
          "  in-progress:",
          "  done:",
          "    terminal: true",
          "transitions:",
          "  ready: [in-progress]",
          "  in-progress: [done]",
          "pull_request:",
          "  eligible_lanes: [in-progress]",
          "  max_files: 50",
          "  max_lines: 1000",
          "  touched_directories: [src/, docs/, work-items/]",
          "");

  record Run(int exit, String out, String err) {}

  /**
   * The runner's environment: none of the variables GitHub Actions sets, unless a test adds some.
   */
  private Map<String, String> environment = Map.of();

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Seams seams = new Seams(Clock.systemUTC(), environment, Sleeper.system());
    int exit = TollgateCommand.execute(seams, new PrintWriter(out), new PrintWriter(err), args);
    return new Run(exit, out.toString(), err.toString());
  }

  @BeforeEach
  void init() throws Exception {
    git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
  }

  @AfterEach
  void close() {
    git.close();
  }

  private void write(String path, String text) throws IOException {
    Path f = dir.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text, StandardCharsets.UTF_8);
  }

  private String commit(String message) throws Exception {
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    PersonIdent who =
        new PersonIdent(
            "Tess",
            "t@example.com",
            Instant.ofEpochSecond(1_700_000_000L + tick++),
            ZoneOffset.UTC);
    return git.commit()
        .setMessage(message)
        .setAuthor(who)
        .setCommitter(who)
        .setSign(false)
        .call()
        .getName();
  }

  /** main: policy and the work item; then a branch bf/BF-274-x checked out. */
  private void base(String policy, String lane) throws Exception {
    write(".tollgate/policy.yml", policy);
    write(
        "work-items/wi-BF-274.yml",
        "id: wi-BF-274\ntitle: Fix rounding\nlane: " + lane + "\nstatus: in-progress\n");
    write("src/App.java", "class App {}\n");
    commit("base");
    git.checkout().setCreateBranch(true).setName("bf/BF-274-x").call();
  }

  private Run gate(String... extra) {
    List<String> args =
        new ArrayList<>(List.of("gate", "--repo", dir.toString(), "--base", "main"));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  private static JsonNode json(Run r) throws IOException {
    return new ObjectMapper().readTree(r.out());
  }

  private static JsonNode gateNode(JsonNode root, String id) {
    for (JsonNode g : root.get("gates")) {
      if (g.get("gate").asText().equals(id)) {
        return g;
      }
    }
    throw new AssertionError("no gate " + id + " in " + root);
  }

  @Test
  void clean_change_passes_with_every_gate_listed() throws Exception {
    base(POLICY, "in-progress");
    write("src/App.java", "class App { int x; }\n");
    commit("BF-274: fix rounding");

    Run r = gate("--format", "json");
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    JsonNode root = json(r);
    assertThat(root.get("verdict").asText()).isEqualTo("pass");
    assertThat(root.get("head").get("branch").asText()).isEqualTo("bf/BF-274-x");
    assertThat(root.get("changes").get("files").asInt()).isEqualTo(1);
    assertThat(root.get("gates")).hasSize(8);
    for (JsonNode g : root.get("gates")) {
      assertThat(g.get("status").asText()).as(g.toString()).isEqualTo("pass");
      assertThat(g.get("recovery").isNull()).isTrue();
    }
    assertThat(gateNode(root, "work-item-reference").get("reason").asText())
        .isEqualTo("the branch \"bf/BF-274-x\" references wi-BF-274");

    Run text = gate();
    assertThat(text.exit()).isZero();
    assertThat(text.out()).startsWith("merge gate: pass (8 of 8 gates pass)\n");
    assertThat(text.out()).contains("pass    pr-size ");
  }

  @Test
  void fifty_one_files_with_a_fifty_file_limit_is_blocked() throws Exception {
    base(POLICY, "in-progress");
    for (int i = 0; i < 51; i++) {
      write("src/gen/F" + i + ".java", "class F" + i + " {}\n");
    }
    commit("BF-274: many files");

    Run r = gate("--format", "json");
    assertThat(r.exit()).isEqualTo(1);
    JsonNode root = json(r);
    assertThat(root.get("verdict").asText()).isEqualTo("blocked");
    JsonNode size = gateNode(root, "pr-size");
    assertThat(size.get("status").asText()).isEqualTo("blocked");
    assertThat(size.get("reason").asText()).isEqualTo("51 files changed; the limit is 50");
    assertThat(size.get("recovery").get("policyContext").asText())
        .isEqualTo("pull_request.max_files: 50, pull_request.max_lines: 1000");
    assertThat(size.get("recovery").get("nextStep").asText()).startsWith("Split the PR");
    assertThat(size.get("findings").get(0).get("file").asText()).isEqualTo(".tollgate/policy.yml");
    assertThat(size.get("findings").get(0).get("line").asInt()).isEqualTo(12);
    assertThat(gateNode(root, "touched-directories").get("status").asText()).isEqualTo("pass");
    assertThat(root.get("summary").get("blocked").asInt()).isEqualTo(1);
  }

  @Test
  void a_path_outside_the_touched_directories_is_blocked() throws Exception {
    base(POLICY, "in-progress");
    write("infra/main.tf", "resource {}\n");
    commit("BF-274: infra");

    Run r = gate("--format", "json");
    assertThat(r.exit()).isEqualTo(1);
    JsonNode g = gateNode(json(r), "touched-directories");
    assertThat(g.get("status").asText()).isEqualTo("blocked");
    assertThat(g.get("reason").asText())
        .isEqualTo("1 changed path is outside the allowed folders, e.g. infra/main.tf");
    assertThat(g.get("findings").get(0).get("file").asText()).isEqualTo("infra/main.tf");
    assertThat(g.get("recovery").get("cause").asText()).contains("src/, docs/, work-items/");
  }

  @Test
  void a_private_key_in_a_changed_file_is_blocked_without_echoing_the_key_in_any_format()
      throws Exception {
    base(POLICY, "in-progress");
    write("src/keys/server.pem", "# test\n" + PRIVATE_KEY);
    write("src/config.properties", "name=app\naws=" + AWS_KEY + "\n");
    commit("BF-274: add config");

    Run r = gate("--format", "json");
    assertThat(r.exit()).isEqualTo(1);
    JsonNode g = gateNode(json(r), "secrets");
    assertThat(g.get("status").asText()).isEqualTo("blocked");
    assertThat(g.get("findings")).hasSize(2);
    assertThat(g.get("findings").get(0).get("file").asText()).isEqualTo("src/config.properties");
    assertThat(g.get("findings").get(0).get("line").asInt()).isEqualTo(2);
    assertThat(g.get("findings").get(1).get("file").asText()).isEqualTo("src/keys/server.pem");
    assertThat(g.get("findings").get(1).get("line").asInt()).isEqualTo(2);
    assertThat(g.get("findings").get(1).get("message").asText())
        .isEqualTo("src/keys/server.pem:2 contains what looks like a private key block");
    for (String format : List.of("text", "json", "markdown", "sarif", "github")) {
      Run f = gate("--format", format, "--verbose");
      assertThat(f.exit()).as(format).isEqualTo(1);
      for (String secret : List.of(KEY_BODY, "VJTUt9Us8cKj", AWS_KEY, "IOSFODNN7EXAMPL3")) {
        assertThat(f.out()).as(format).doesNotContain(secret);
        assertThat(f.err()).as(format).doesNotContain(secret);
      }
    }
  }

  @Test
  void every_format_renders_the_blocked_gate_with_its_fix() throws Exception {
    base(POLICY, "in-progress");
    write("infra/main.tf", "resource {}\n");
    commit("BF-274: infra");

    Run text = gate();
    assertThat(text.out())
        .contains("blocked touched-directories  1 changed path is outside")
        .contains("    at infra/main.tf: infra/main.tf is outside src/, docs/, work-items/\n")
        .contains("    next step: Move the change to an allowed folder");
    assertThat(gate("--format", "markdown").out())
        .startsWith("### ⛔ Merge gate: 1 of 8 gates block\n")
        .contains("⛔ **`touched-directories`**: 1 changed path is outside")
        .contains("**Next step:** Move the change to an allowed folder");
    assertThat(gate("--format", "github").out())
        .contains("::error file=infra/main.tf")
        .contains("touched-directories");
    JsonNode sarif = new ObjectMapper().readTree(gate("--format", "sarif").out());
    assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
    assertThat(sarif.at("/runs/0/results/0/ruleId").asText()).isEqualTo("touched-directories");
  }

  @Test
  void output_is_written_to_a_file() throws Exception {
    base(POLICY, "in-progress");
    write("src/B.java", "class B {}\n");
    commit("BF-274: b");
    Path out = dir.resolve("verdict.json");
    Run r = gate("--format", "json", "--output", out.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(Files.readString(out)).contains("\"verdict\": \"pass\"");
  }

  @Test
  void a_branch_without_a_work_item_key_is_blocked_unless_the_title_has_one() throws Exception {
    write(".tollgate/policy.yml", POLICY);
    write("work-items/wi-BF-274.yml", "id: wi-BF-274\ntitle: T\nlane: in-progress\nstatus: open\n");
    commit("base");
    git.checkout().setCreateBranch(true).setName("feature/rounding").call();
    write("src/A.java", "class A {}\n");
    commit("a");

    JsonNode blocked = json(gate("--format", "json"));
    JsonNode ref = gateNode(blocked, "work-item-reference");
    assertThat(ref.get("status").asText()).isEqualTo("blocked");
    assertThat(ref.get("recovery").get("nextStep").asText()).contains("bf/BF-274-short-name");
    assertThat(gateNode(blocked, "lane-eligibility").get("status").asText()).isEqualTo("blocked");

    Run titled = gate("--format", "json", "--title", "BF-274 Fix rounding");
    assertThat(titled.exit()).isZero();
  }

  @Test
  void an_item_in_an_ineligible_lane_is_blocked() throws Exception {
    base(POLICY, "ready");
    write("src/B.java", "class B {}\n");
    commit("b");
    JsonNode g = gateNode(json(gate("--format", "json")), "lane-eligibility");
    assertThat(g.get("status").asText()).isEqualTo("blocked");
    assertThat(g.get("reason").asText())
        .isEqualTo("wi-BF-274 is in lane ready, which is not eligible for merging");
  }

  @Test
  void labels_and_approvals_are_inputs_and_unknown_approvals_are_explained() throws Exception {
    base(POLICY + "  required_labels: [reviewed]\n  required_approvals: 1\n", "in-progress");
    write("src/B.java", "class B {}\n");
    commit("b");

    JsonNode none = json(gate("--format", "json"));
    assertThat(gateNode(none, "required-labels").get("recovery").get("cause").asText())
        .contains("locally pass --label");
    assertThat(gateNode(none, "required-approvals").get("reason").asText())
        .isEqualTo("approvals are unknown; 1 required");
    assertThat(gateNode(none, "required-approvals").get("recovery").get("nextStep").asText())
        .contains("--approvals N");

    assertThat(gate("--label", "reviewed", "--approvals", "1").exit()).isZero();
    assertThat(gate("--label", "reviewed", "--approvals", "0").exit()).isEqualTo(1);
  }

  @Test
  void the_policy_is_read_as_of_the_base_so_a_pr_cannot_loosen_its_own_gate() throws Exception {
    base(POLICY, "in-progress");
    write(
        ".tollgate/policy.yml",
        POLICY.replace(
            "touched_directories: [src/, docs/, work-items/]", "touched_directories: [.]"));
    write("infra/main.tf", "x\n");
    commit("BF-274: loosen");
    Run r = gate("--format", "json");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(json(r).get("policy").get("ref").asText()).isEqualTo("main");
  }

  // --- bad input: exit 2, one message and a usage hint ---

  private void badPolicy(String policy) throws Exception {
    write(".tollgate/policy.yml", policy);
    write("src/A.java", "class A {}\n");
    commit("base");
    git.checkout().setCreateBranch(true).setName("bf/BF-274-x").call();
  }

  @Test
  void malformed_yaml_is_bad_input() throws Exception {
    badPolicy("lanes:\n  ready:\npull_request: [\n");
    Run r = gate();
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith(".tollgate/policy.yml:").contains("invalid YAML");
    assertThat(r.err()).endsWith("Try 'tollgate gate --help' for more information.\n");
  }

  @Test
  void an_unknown_key_in_the_pull_request_section_is_bad_input_with_did_you_mean()
      throws Exception {
    badPolicy("lanes:\n  ready:\npull_request:\n  max_file: 3\n");
    Run r = gate();
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .startsWith(".tollgate/policy.yml:4:3: ")
        .contains("max_file")
        .contains("max_files");
  }

  @Test
  void a_wrong_type_in_the_pull_request_section_is_bad_input() throws Exception {
    badPolicy("lanes:\n  ready:\npull_request:\n  max_files: fifty\n");
    Run r = gate();
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith(".tollgate/policy.yml:4:14: ").contains("max_files");
  }

  @Test
  void an_undeclared_eligible_lane_and_a_bad_pattern_are_bad_input() throws Exception {
    badPolicy(
        "lanes:\n  ready:\n  review:\npull_request:\n  eligible_lanes: [reviw]\n"
            + "  work_item:\n    pattern: '(['\n");
    Run r = gate();
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            ".tollgate/policy.yml:5:20: pull_request.eligible_lanes[0] names the lane 'reviw', which is not declared under lanes; did you mean `review`?")
        .contains(
            ".tollgate/policy.yml:7:14: pull_request.work_item.pattern is not a valid regular expression");
  }

  @Test
  void an_unknown_ref_is_bad_input() throws Exception {
    base(POLICY, "in-progress");
    Run r = run("gate", "--repo", dir.toString(), "--base", "mian");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "unknown Git ref 'mian'; did you mean `main`?\n"
                + "Try 'tollgate gate --help' for more information.\n");
    Run h = gate("--head", "nope/branch");
    assertThat(h.exit()).isEqualTo(2);
    assertThat(h.err()).startsWith("unknown Git ref 'nope/branch'");
  }

  @Test
  void a_folder_that_is_not_a_git_repository_is_bad_input() throws Exception {
    Path plain = Files.createDirectories(dir.resolve("../plain-" + System.nanoTime()).normalize());
    Run r = run("gate", "--repo", plain.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            plain
                + " is not inside a Git repository (no .git folder in it or above it)\n"
                + "Try 'tollgate gate --help' for more information.\n");
    Run missing = run("gate", "--repo", dir.resolve("missing").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).startsWith("--repo '");
  }

  @Test
  void a_missing_policy_and_bad_options_are_bad_input() throws Exception {
    write("src/A.java", "class A {}\n");
    commit("base");
    Run r = gate();
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("no .tollgate/policy.yml in main or HEAD of ");
    assertThat(gate("--format", "xml").err()).startsWith("--format must be one of text, json");
    assertThat(gate("--approvals", "-1").err()).startsWith("--approvals must be 0 or more");
    assertThat(run("gate", "--repo", dir.toString()).exit()).isEqualTo(2);
  }

  @Test
  void the_base_defaults_to_github_base_ref_then_main() throws Exception {
    base(POLICY, "in-progress");
    write("src/B.java", "class B {}\n");
    commit("b");
    environment = Map.of("GITHUB_BASE_REF", "main");
    Run r = run("gate", "--repo", dir.toString(), "--format", "json");
    assertThat(r.exit()).isZero();
    assertThat(json(r).get("base").get("ref").asText()).isEqualTo("main");
  }
}
