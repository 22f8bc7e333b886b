package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.actions.github.Sleeper;
import dev.tollgate.cli.common.Seams;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TollgateCommandTest {
  @TempDir Path dir;

  /** What a run printed and returned. */
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Seams seams = new Seams(clock, System.getenv(), Sleeper.system());
    int exit = TollgateCommand.execute(seams, new PrintWriter(out), new PrintWriter(err), args);
    return new Run(
        exit, out.toString().replace("\r\n", "\n"), err.toString().replace("\r\n", "\n"));
  }

  /** The clock that dates generated documents, fixed for every test. */
  private static Clock clock = Clock.systemUTC();

  @BeforeEach
  void fixClock() {
    clock = Clock.fixed(Instant.parse("2026-03-14T12:00:00Z"), ZoneOffset.UTC);
  }

  @AfterEach
  void resetClock() {
    clock = Clock.systemUTC();
  }

  private String p(Path path) {
    return path.toString();
  }

  // --- bad input: exit 2, one message and a usage hint, nothing on stdout ---

  @Test
  void missing_path_is_bad_input() {
    String missing = p(dir.resolve("nope"));
    Run r = run("spec-kit", "validate", missing);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "PATH '"
                + missing
                + "' does not exist\n"
                + "Try 'tollgate spec-kit validate --help' for more information.\n");
  }

  @Test
  void unknown_format_is_bad_input() {
    Run r = run("spec-kit", "validate", "--format", "xml", p(dir));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "--format must be one of text, json, markdown, sarif, github but was 'xml'\n"
                + "Try 'tollgate spec-kit validate --help' for more information.\n");
  }

  @Test
  void unknown_option_is_bad_input_with_suggestion() {
    Run r = run("spec-kit", "validate", "--fromat", "json", p(dir));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "Unknown option: '--fromat'; did you mean `--format`?\n"
                + "Try 'tollgate spec-kit validate --help' for more information.\n");
  }

  @Test
  void unknown_subcommand_is_bad_input() {
    Run r = run("spec-kit", "validtae");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "Unmatched argument at index 1: 'validtae'; did you mean `validate`?\n"
                + "Try 'tollgate spec-kit --help' for more information.\n");
  }

  @Test
  void invalid_config_is_bad_input_with_file_line_column() throws Exception {
    Path config = dir.resolve("spec-kit.yml");
    Files.writeString(config, "strict: true\nrules:\n  SK009: loud\n  SK99: off\n");
    Run r = run("spec-kit", "validate", "--config", p(config), p(dir));
    String shown = p(config).replace('\\', '/');
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            shown
                + ":3:10: rules.SK009 must be one of error, warning, info, off but was 'loud'\n"
                + "Try 'tollgate spec-kit validate --help' for more information.\n");
  }

  @Test
  void empty_config_is_bad_input_saying_what_was_expected() throws Exception {
    Path config = Files.writeString(dir.resolve("spec-kit.yml"), "");
    Run r = run("spec-kit", "validate", "--config", p(config), p(dir));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            p(config).replace('\\', '/')
                + ":1:1: expected a mapping (keys: ignore, rules, strict) but the file is empty\n"
                + "Try 'tollgate spec-kit validate --help' for more information.\n");
  }

  @Test
  void unknown_rule_id_in_config_suggests_the_closest() throws Exception {
    Files.createDirectories(dir.resolve(".tollgate"));
    Files.writeString(dir.resolve(".tollgate/spec-kit.yml"), "rules:\n  SK99: off\n");
    Files.createDirectories(dir.resolve(".git"));
    Run r =
        run("spec-kit", "validate", "--config", p(dir.resolve(".tollgate/spec-kit.yml")), p(dir));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .startsWith(
            p(dir.resolve(".tollgate/spec-kit.yml")).replace('\\', '/')
                + ":2:3: unknown rule id 'SK99'; did you mean `SK009`?\n");
  }

  @Test
  void missing_config_file_is_bad_input() {
    Run r = run("spec-kit", "validate", "--config", "absent.yml", p(dir));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "--config file 'absent.yml' does not exist\n"
                + "Try 'tollgate spec-kit validate --help' for more information.\n");
  }

  @Test
  void init_refuses_to_overwrite() throws Exception {
    Files.createDirectories(dir.resolve("spec/login"));
    Run r = run("spec-kit", "init", "login", "--layout", "classic", "--dir", p(dir));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "spec/login already exists; refusing to overwrite it (choose another name or remove"
                + " it)\n"
                + "Try 'tollgate spec-kit init --help' for more information.\n");
    try (var files = Files.list(dir.resolve("spec/login"))) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void init_refuses_second_feature_with_same_name() {
    assertThat(run("spec-kit", "init", "Login", "--dir", p(dir)).exit()).isZero();
    Run r = run("spec-kit", "init", "login", "--dir", p(dir));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "specs/001-login already exists; refusing to create another feature named 'login'\n"
                + "Try 'tollgate spec-kit init --help' for more information.\n");
  }

  @Test
  void init_rejects_unknown_layout_and_nameless_names() {
    Run r = run("spec-kit", "init", "x", "--layout", "gitlab", "--dir", p(dir));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "--layout must be one of github, classic but was 'gitlab'\n"
                + "Try 'tollgate spec-kit init --help' for more information.\n");
    Run r2 = run("spec-kit", "init", "???", "--dir", p(dir));
    assertThat(r2.exit()).isEqualTo(2);
    assertThat(r2.err())
        .isEqualTo(
            "NAME must contain at least one ASCII letter or digit but was '???'\n"
                + "Try 'tollgate spec-kit init --help' for more information.\n");
  }

  @Test
  void init_without_name_is_bad_input() {
    Run r = run("spec-kit", "init");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "Missing required parameter: 'NAME'\n"
                + "Try 'tollgate spec-kit init --help' for more information.\n");
  }

  // --- help and version at every level ---

  @Test
  void help_and_version_work_at_every_level() {
    for (String[] prefix :
        new String[][] {{}, {"spec-kit"}, {"spec-kit", "validate"}, {"spec-kit", "init"}}) {
      Run help = run(concat(prefix, "--help"));
      assertThat(help.exit()).as("help of %s", String.join(" ", prefix)).isZero();
      assertThat(help.out()).startsWith("Usage: tollgate");
      assertThat(help.err()).isEmpty();
      Run version = run(concat(prefix, "--version"));
      assertThat(version.exit()).isZero();
      assertThat(version.out()).startsWith("tollgate ");
    }
    assertThat(run("help", "spec-kit").out()).startsWith("Usage: tollgate spec-kit");
  }

  // --- only the named subcommand's model is built ---

  @Test
  void every_top_level_subcommand_is_registered_under_its_own_name() {
    TollgateCommand.SUBCOMMANDS.forEach(
        (name, type) ->
            assertThat(type.getAnnotation(picocli.CommandLine.Command.class).name())
                .as("%s", type)
                .isEqualTo(name));
  }

  @Test
  void every_subcommand_of_a_group_is_registered_under_its_own_name() {
    TollgateCommand.GROUPS.forEach(
        (group, children) -> {
          assertThat(TollgateCommand.SUBCOMMANDS).containsKey(group);
          children.forEach(
              (name, type) ->
                  assertThat(type.getAnnotation(picocli.CommandLine.Command.class).name())
                      .as("%s", type)
                      .isEqualTo(name));
        });
  }

  @Test
  void a_command_line_naming_a_subcommand_gets_only_that_subcommand() {
    Seams seams = new Seams(clock, Map.of(), Sleeper.system());
    picocli.CommandLine validate = TollgateCommand.commandLine(seams, "spec-kit", "validate", ".");
    assertThat(validate.getSubcommands().keySet()).containsExactly("spec-kit");
    assertThat(validate.getSubcommands().get("spec-kit").getSubcommands().keySet())
        .containsExactly("validate");
    assertThat(TollgateCommand.commandLine(seams, "--version").getSubcommands()).isEmpty();
  }

  @Test
  void a_group_without_a_known_subcommand_next_gets_all_of_its_subcommands_in_order() {
    Seams seams = new Seams(clock, Map.of(), Sleeper.system());
    for (String[] args :
        new String[][] {
          {"spec-kit"}, {"spec-kit", "--help"}, {"spec-kit", "valdate"}, {"--help"}
        }) {
      assertThat(
              TollgateCommand.commandLine(seams, args)
                  .getSubcommands()
                  .get("spec-kit")
                  .getSubcommands()
                  .keySet())
          .as("%s", List.of(args))
          .containsExactly("validate", "init");
    }
    assertThat(run("spec-kit", "--help").out()).contains("  validate ", "  init ");
    Run typo = run("spec-kit", "valdate");
    assertThat(typo.exit()).isEqualTo(2);
    assertThat(typo.err()).contains("did you mean `validate`?");
  }

  @Test
  void help_a_typo_or_no_subcommand_gets_every_subcommand_in_order() {
    Seams seams = new Seams(clock, Map.of(), Sleeper.system());
    List<String> all = new ArrayList<>(List.of("help"));
    all.addAll(TollgateCommand.SUBCOMMANDS.keySet());
    for (String[] args :
        new String[][] {{}, {"--help"}, {"help", "gate"}, {"gaet"}, {"--version", "gate"}}) {
      assertThat(TollgateCommand.commandLine(seams, args).getSubcommands().keySet())
          .as("%s", List.of(args))
          .containsExactlyElementsOf(all);
    }
    Run typo = run("gaet");
    assertThat(typo.exit()).isEqualTo(2);
    assertThat(typo.err())
        .startsWith("Unmatched argument at index 0: 'gaet'; did you mean `gate`?");
    assertThat(run("--help").out()).contains("  deploy ", "  spec-kit ", "  comment ");
  }

  @Test
  void no_subcommand_prints_usage_to_stderr() {
    Run r = run("spec-kit");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("Usage: tollgate spec-kit");
  }

  // --- happy paths (need the real validator and renderers) ---

  @Test
  void init_prints_created_files_and_the_result_validates() throws Exception {
    Run init =
        run(
            "spec-kit",
            "init",
            "Login Flow",
            "--dir",
            p(dir),
            "--title",
            "Login flow",
            "--description",
            "Users sign in with email.",
            "--goal",
            "Accept email and password",
            "--goal",
            "Lock the account after five failures");
    assertThat(init.exit()).as(init.err()).isZero();
    String prefix = p(dir).replace('\\', '/') + "/";
    assertThat(init.out())
        .isEqualTo(
            "created "
                + prefix
                + "specs/001-login-flow/spec.md\n"
                + "created "
                + prefix
                + "specs/001-login-flow/plan.md\n"
                + "created "
                + prefix
                + "specs/001-login-flow/tasks.md\n");
    assertThat(Files.readString(dir.resolve("specs/001-login-flow/spec.md")))
        .contains("**FR-002**: System MUST")
        .contains("**Created**: 2026-03-14");

    Run validate = run("spec-kit", "validate", "--format", "json", p(dir));
    assertThat(validate.err()).isEmpty();
    assertThat(validate.exit()).as(validate.out()).isZero();
    assertThat(validate.out())
        .containsPattern("\"errors\"\\s*:\\s*0")
        .doesNotContainPattern("\"severity\"\\s*:\\s*\"error\"");
  }

  @Test
  void classic_init_validates_too() {
    assertThat(run("spec-kit", "init", "billing", "--layout", "classic", "--dir", p(dir)).exit())
        .isZero();
    Run validate = run("spec-kit", "validate", p(dir));
    assertThat(validate.exit()).as(validate.out()).isZero();
  }

  @Test
  void findings_exit_one() throws Exception {
    assertThat(run("spec-kit", "init", "demo", "--dir", p(dir)).exit()).isZero();
    Path tasks = dir.resolve("specs/001-demo/tasks.md");
    Files.writeString(
        tasks, Files.readString(tasks) + "- [ ] T001 Document it again in docs/demo.md\n");
    Run r = run("spec-kit", "validate", p(dir));
    assertThat(r.exit()).as(r.out()).isEqualTo(1);
    assertThat(r.out()).contains("error SK019");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void strict_turns_warnings_into_failure_unless_configured_off() throws Exception {
    assertThat(run("spec-kit", "init", "demo", "--dir", p(dir)).exit()).isZero();
    Path spec = dir.resolve("specs/001-demo/spec.md");
    Files.writeString(spec, Files.readString(spec) + "\nA note still marked TODO.\n");
    assertThat(run("spec-kit", "validate", p(dir)).exit()).isZero();
    assertThat(run("spec-kit", "validate", "--strict", p(dir)).exit()).isEqualTo(1);
    Files.createDirectories(dir.resolve(".tollgate"));
    Files.writeString(
        dir.resolve(".tollgate/spec-kit.yml"), "rules:\n  SK009: off\n  SK004: info\n");
    Files.createDirectories(dir.resolve(".git"));
    Run strict = run("spec-kit", "validate", "--strict", p(dir));
    assertThat(strict.exit()).as(strict.out()).isZero();
    Files.writeString(dir.resolve(".tollgate/spec-kit.yml"), "strict: true\n");
    assertThat(run("spec-kit", "validate", p(dir)).exit()).isEqualTo(1);
  }

  @Test
  void output_is_written_to_file_atomically_and_stdout_stays_empty() throws Exception {
    assertThat(run("spec-kit", "init", "demo", "--dir", p(dir)).exit()).isZero();
    Path report = dir.resolve("out/report.sarif");
    Files.createDirectories(report.getParent());
    Files.writeString(report, "old");
    Run r = run("spec-kit", "validate", "--format", "sarif", "--output", p(report), p(dir));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(Files.readString(report, StandardCharsets.UTF_8)).contains("\"2.1.0\"");
    try (var files = Files.list(report.getParent())) {
      assertThat(files).containsExactly(report);
    }
  }

  @Test
  void output_into_missing_folder_is_bad_input() throws Exception {
    Path report = dir.resolve("missing/report.json");
    Files.createDirectories(dir.resolve("specs"));
    Run r = run("spec-kit", "validate", "--output", p(report), p(dir));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "--output "
                + p(report)
                + ": folder "
                + report.getParent()
                + " does not exist\n"
                + "Try 'tollgate spec-kit validate --help' for more information.\n");
    assertThat(Files.exists(report.getParent())).isFalse();
  }

  private static String[] concat(String[] prefix, String last) {
    String[] all = java.util.Arrays.copyOf(prefix, prefix.length + 1);
    all[prefix.length] = last;
    return all;
  }
}
