package dev.tollgate.actions.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code action/run.sh}, the composite action's only script, run by bash with a stand-in {@code
 * java} that records its arguments: inputs become separate arguments and are never evaluated.
 * Skipped where there is no bash.
 */
class ActionScriptTest {
  @TempDir Path dir;
  private Path jar;
  private Path recorded;
  private Path output;

  record Result(int exit, String stdout, List<String> javaArgs) {}

  @BeforeEach
  void fakeJava() throws IOException {
    assumeTrue(bash() != null, "no bash on this machine");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(
        java,
        "#!/usr/bin/env bash\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$RECORDED\"\n"
            + "exit \"${FAKE_EXIT:-0}\"\n");
    assumeTrue(java.toFile().setExecutable(true), "cannot make a script executable here");
    jar = Files.writeString(dir.resolve("tollgate.jar"), "not really a jar");
    recorded = dir.resolve("args.txt");
    output = dir.resolve("output");
    Files.writeString(output, "");
  }

  private static String bash() {
    for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(p, "bash"))) {
        return Path.of(p, "bash").toString();
      }
    }
    return null;
  }

  private Result run(Map<String, String> inputs) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(bash(), WorkflowFiles.root().resolve("action/run.sh").toString())
            .directory(dir.toFile())
            .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("PATH", dir.resolve("bin") + File.pathSeparator + System.getenv("PATH"));
    env.put("RECORDED", recorded.toString());
    env.put("GITHUB_OUTPUT", output.toString());
    env.put("TOLLGATE_JAR", jar.toString());
    env.put("TOLLGATE_COMMENT", "update");
    env.put("TOLLGATE_FAIL_ON", "error");
    env.putAll(inputs);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> args = Files.exists(recorded) ? Files.readAllLines(recorded) : List.of();
    return new Result(p.exitValue(), out, args);
  }

  private static Map<String, String> inputs(String... pairs) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  @Test
  void the_gate_runs_in_github_mode_with_every_input_as_its_own_argument() throws Exception {
    Result r =
        run(
            inputs(
                "TOLLGATE_COMMAND", "gate",
                "TOLLGATE_COMMENT_KEY", "ci gate",
                "TOLLGATE_CHECK_NAME", "Merge gate",
                "TOLLGATE_CONFIG", "policy/strict.yml"));

    assertThat(r.exit()).isZero();
    assertThat(r.javaArgs())
        .containsExactly(
            "-jar",
            jar.toString(),
            "gate",
            "--github",
            "--comment",
            "update",
            "--fail-on",
            "error",
            "--comment-key",
            "ci gate",
            "--check-name",
            "Merge gate",
            "--policy",
            "policy/strict.yml");
    assertThat(Files.readString(output)).isEmpty(); // the gate writes its own outputs
  }

  @Test
  void extra_arguments_are_never_evaluated_by_the_shell() throws Exception {
    Result r =
        run(
            inputs(
                "TOLLGATE_COMMAND", "gate",
                "TOLLGATE_ARGS", "--title\n$(touch pwned) `touch pwned2` *\n\n--pr\n7\n"));

    assertThat(r.javaArgs()).endsWith("--title", "$(touch pwned) `touch pwned2` *", "--pr", "7");
    assertThat(dir.resolve("pwned")).doesNotExist();
    assertThat(dir.resolve("pwned2")).doesNotExist();
  }

  @Test
  void one_line_of_arguments_is_split_on_blanks_without_globbing() throws Exception {
    Files.writeString(dir.resolve("a.sarif"), "");
    Result r =
        run(inputs("TOLLGATE_COMMAND", "items list", "TOLLGATE_ARGS", "--format json *.sarif"));

    assertThat(r.javaArgs())
        .containsExactly("-jar", jar.toString(), "items", "list", "--format", "json", "*.sarif");
  }

  @Test
  void spec_kit_validate_gets_its_config_and_strict_for_fail_on_warning() throws Exception {
    Result r =
        run(
            inputs(
                "TOLLGATE_COMMAND", "spec-kit-validate",
                "TOLLGATE_CONFIG", ".tollgate/spec-kit.yml",
                "TOLLGATE_FAIL_ON", "warning",
                "TOLLGATE_ARGS", "--format sarif --output spec-kit.sarif",
                "FAKE_EXIT", "1"));

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.javaArgs())
        .containsExactly(
            "-jar",
            jar.toString(),
            "spec-kit",
            "validate",
            "--config",
            ".tollgate/spec-kit.yml",
            "--strict",
            "--format",
            "sarif",
            "--output",
            "spec-kit.sarif");
    assertThat(Files.readString(output)).matches("result<<(ghadelimiter_\\d+)\nblocked\n\\1\n");
  }

  @Test
  void fail_on_never_keeps_findings_from_failing_the_step_but_not_errors() throws Exception {
    assertThat(
            run(inputs(
                    "TOLLGATE_COMMAND",
                    "spec-kit-validate",
                    "TOLLGATE_FAIL_ON",
                    "never",
                    "FAKE_EXIT",
                    "1"))
                .exit())
        .isZero();
    assertThat(
            run(inputs(
                    "TOLLGATE_COMMAND",
                    "spec-kit-validate",
                    "TOLLGATE_FAIL_ON",
                    "never",
                    "FAKE_EXIT",
                    "3"))
                .exit())
        .isEqualTo(3);
  }

  @Test
  void a_gate_that_could_not_finish_reports_result_error() throws Exception {
    Result r = run(inputs("TOLLGATE_COMMAND", "gate", "FAKE_EXIT", "3"));
    assertThat(r.exit()).isEqualTo(3);
    assertThat(Files.readString(output)).contains("\nerror\n");
  }

  @Test
  void setup_only_provides_the_jar_as_an_absolute_path_and_runs_nothing() throws Exception {
    Files.createDirectories(dir.resolve("tools"));
    Files.move(jar, dir.resolve("tools/tollgate.jar"));
    Result r = run(inputs("TOLLGATE_COMMAND", "setup", "TOLLGATE_JAR", "tools/tollgate.jar"));

    assertThat(r.exit()).isZero();
    assertThat(r.javaArgs()).isEmpty();
    String jarPath = dir.resolve("tools/tollgate.jar").toRealPath().toString();
    assertThat(Files.readString(output))
        .matches(
            "(?s)jar<<(ghadelimiter_\\d+)\n" + java.util.regex.Pattern.quote(jarPath) + "\n\\1\n.*")
        .contains("\npass\n");
    assertThat(r.stdout()).contains(jarPath);
  }

  @Test
  void a_missing_jar_is_an_error_annotation() throws Exception {
    Result r = run(inputs("TOLLGATE_JAR", dir.resolve("nope.jar").toString()));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stdout())
        .startsWith("::error title=Tollgate::the runner jar '" + dir.resolve("nope.jar"));
  }

  @Test
  void a_deploy_gets_each_explicit_input_as_exactly_one_argument() throws Exception {
    Result r =
        run(
            inputs(
                "TOLLGATE_COMMAND", "deploy",
                "TOLLGATE_ARGS", "--wait=10m",
                "TOLLGATE_ENVIRONMENT", "production",
                "TOLLGATE_REF", "v1.4.0",
                "TOLLGATE_CHANGE", "42",
                "TOLLGATE_EMERGENCY", "true",
                "TOLLGATE_REASON", "payments are down"));

    assertThat(r.exit()).isZero();
    assertThat(r.javaArgs())
        .containsExactly(
            "-jar",
            jar.toString(),
            "deploy",
            "--wait=10m",
            "--ref=v1.4.0",
            "--change=42",
            "--emergency",
            "--reason=payments are down",
            "--",
            "production");
  }

  @Test
  void a_newline_in_any_explicit_input_never_adds_an_argument() throws Exception {
    // The stand-in java ends each argument with a NUL byte, so a newline inside an argument stays
    // inside it and every extra argument would show in the count.
    String hostile = "main\n--emergency\n--force\n\n-- staging";
    for (String input :
        List.of(
            "TOLLGATE_ENVIRONMENT",
            "TOLLGATE_REF",
            "TOLLGATE_CHANGE",
            "TOLLGATE_REASON",
            "TOLLGATE_TO")) {
      Result plain = runCounting(inputs("TOLLGATE_COMMAND", "rollback", input, "x"));
      Result attacked = runCounting(inputs("TOLLGATE_COMMAND", "rollback", input, hostile));
      assertThat(attacked.javaArgs()).as(input).hasSameSizeAs(plain.javaArgs());
      assertThat(attacked.javaArgs()).as(input).doesNotContain("--emergency", "--force");
      assertThat(String.join("\0", attacked.javaArgs())).as(input).contains(hostile);
    }
  }

  @Test
  void an_emergency_input_other_than_true_or_false_is_refused() throws Exception {
    Result r = run(inputs("TOLLGATE_COMMAND", "deploy", "TOLLGATE_EMERGENCY", "true\n--force"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stdout()).startsWith("::error title=Tollgate::the emergency input");
    assertThat(r.javaArgs()).isEmpty();
  }

  /** Runs the script with a stand-in java that separates its arguments with NUL bytes. */
  private Result runCounting(Map<String, String> inputs) throws Exception {
    Files.writeString(
        dir.resolve("bin/java"), "#!/usr/bin/env bash\nprintf '%s\\0' \"$@\" > \"$RECORDED\"\n");
    Files.deleteIfExists(recorded);
    Result r = run(inputs);
    String raw = Files.readString(recorded, StandardCharsets.UTF_8);
    List<String> args = List.of(raw.substring(0, raw.length() - 1).split("\0", -1));
    return new Result(r.exit(), r.stdout(), args);
  }
}
