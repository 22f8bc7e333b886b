package dev.tollgate.speckit.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import dev.tollgate.speckit.SpecKitConfig;
import dev.tollgate.speckit.SpecKitConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code .tollgate/spec-kit.yml} loader (lives here with the other Spec Kit entry points). */
class SpecKitConfigLoaderTest {
  static final String FILE = ".tollgate/spec-kit.yml";

  @Test
  void absent_file_means_defaults(@TempDir Path root) {
    assertThat(SpecKitConfigLoader.load(root)).isEqualTo(SpecKitConfig.defaults());
  }

  @Test
  void empty_file_is_bad_input_not_defaults(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve(".tollgate"));
    Files.writeString(root.resolve(FILE), "");
    assertThatThrownBy(() -> SpecKitConfigLoader.load(root))
        .isInstanceOf(TollgateException.class)
        .hasMessage(
            ".tollgate/spec-kit.yml:1:1: expected a mapping (keys: ignore, rules, strict) but the"
                + " file is empty");
  }

  @Test
  void reads_severities_disabled_rules_ignores_and_strict(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve(".tollgate"));
    Files.writeString(
        root.resolve(FILE),
        "strict: true\n"
            + "rules:\n  SK009: off\n  SK020: info\n"
            + "ignore:\n  - path: specs/000-archive/**\n  - path: specs/002-x/tasks.md\n"
            + "    rules: [SK026]\n");
    SpecKitConfig c = SpecKitConfigLoader.load(root);
    assertThat(c.strict()).isTrue();
    assertThat(c.severityFor("SK009", Severity.WARNING)).isEmpty();
    assertThat(c.severityFor("SK020", Severity.WARNING)).contains(Severity.INFO);
    assertThat(c.severityFor("SK019", Severity.ERROR)).isEqualTo(Optional.of(Severity.ERROR));
    assertThat(c.ignored("SK001", "specs/000-archive/spec.md")).isTrue();
    assertThat(c.ignored("SK026", "specs/002-x/tasks.md")).isTrue();
    assertThat(c.ignored("SK019", "specs/002-x/tasks.md")).isFalse();
  }

  @Test
  void bad_severity_names_expected_and_actual() {
    assertThatThrownBy(() -> SpecKitConfigLoader.parse("rules:\n  SK009: loud\n", FILE))
        .isInstanceOf(TollgateException.class)
        .hasMessage(
            ".tollgate/spec-kit.yml:2:10: rules.SK009 must be one of error, warning, info, off"
                + " but was 'loud'");
  }

  @Test
  void unknown_rule_ids_suggest_the_closest() {
    assertThatThrownBy(
            () ->
                SpecKitConfigLoader.parse(
                    "rules:\n  SK09: off\nignore:\n  - path: a\n    rules: [sk019]\n", FILE))
        .isInstanceOf(TollgateException.class)
        .hasMessage(
            ".tollgate/spec-kit.yml:2:3: unknown rule id 'SK09'; did you mean `SK009`?\n"
                + ".tollgate/spec-kit.yml:5:13: unknown rule id 'sk019'; did you mean `SK019`?");
  }

  @Test
  void unknown_top_level_key_suggests_the_closest() {
    TollgateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            TollgateException.class, () -> SpecKitConfigLoader.parse("ignores: []\n", FILE));
    assertThat(e.getMessage())
        .isEqualTo(".tollgate/spec-kit.yml:1:1: unknown key 'ignores'; did you mean `ignore`?");
    assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT);
  }

  @Test
  void malformed_glob_is_rejected_at_its_value() {
    assertThatThrownBy(() -> SpecKitConfigLoader.parse("ignore:\n  - path: 'specs/[a'\n", FILE))
        .isInstanceOf(TollgateException.class)
        .hasMessageStartingWith(
            ".tollgate/spec-kit.yml:2:11: ignore[0].path must be a valid glob but was 'specs/[a'");
  }
}
