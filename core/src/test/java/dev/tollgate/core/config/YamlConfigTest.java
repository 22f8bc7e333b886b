package dev.tollgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.TollgateException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlConfigTest {
  static final ConfigSchema SCHEMA =
      ConfigSchema.fromResource(YamlConfigTest.class, "test-config.schema.json");
  static final String FILE = ".tollgate/spec-kit.yml";

  private static TollgateException failure(String yaml) {
    try {
      YamlConfig.parse(yaml, FILE, SCHEMA);
    } catch (TollgateException e) {
      assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT);
      return e;
    }
    throw new AssertionError("expected a TollgateException for:\n" + yaml);
  }

  private static List<String> lines(TollgateException e) {
    return e.diagnostics().stream().map(d -> d.location() + ": " + d.message()).toList();
  }

  @Test
  void reads_valid_document_with_positions() {
    ConfigDocument doc =
        YamlConfig.parse(
            "strict: true\nrules:\n  SK009: off\nignore:\n  - path: a/**\n", FILE, SCHEMA);
    assertThat(doc.root().path("strict").asBoolean()).isTrue();
    assertThat(doc.root().path("rules").path("SK009").asText()).isEqualTo("off");
    assertThat(doc.locate("/rules/SK009")).isEqualTo(Location.of(FILE, 3, 10));
    assertThat(doc.locateKey("/rules/SK009")).isEqualTo(Location.of(FILE, 3, 3));
    assertThat(doc.locate("/ignore/0/path")).isEqualTo(Location.of(FILE, 5, 11));
    assertThat(doc.displayPath("/ignore/0/path")).isEqualTo("ignore[0].path");
  }

  @Test
  void empty_file_is_refused_saying_what_was_expected() {
    assertThat(lines(failure("")))
        .containsExactly(
            ".tollgate/spec-kit.yml:1:1: expected a mapping (keys: ignore, limit, rules, strict)"
                + " but the file is empty");
    assertThat(lines(failure("\n  \n# only a comment\n")))
        .containsExactly(
            ".tollgate/spec-kit.yml:1:1: expected a mapping (keys: ignore, limit, rules, strict)"
                + " but the file holds only comments");
  }

  @Test
  void empty_mapping_written_out_is_accepted() {
    assertThat(YamlConfig.parse("{}\n", FILE, SCHEMA).root().size()).isZero();
  }

  @Test
  void enum_violation_names_expected_and_actual_at_value() {
    TollgateException e = failure("strict: false\nrules:\n  SK009: loud\n");
    assertThat(lines(e))
        .containsExactly(
            ".tollgate/spec-kit.yml:3:10: rules.SK009 must be one of error, warning, info, off"
                + " but was 'loud'");
    assertThat(e.getMessage()).isEqualTo(lines(e).get(0));
    assertThat(e.diagnostics().get(0).ruleId()).isEqualTo("config");
  }

  @Test
  void syntax_error_reports_position_of_problem() {
    TollgateException e = failure("strict: true\nrules: [a, b\nignore: x\n");
    assertThat(e.diagnostics()).hasSize(1);
    Diagnostic d = e.diagnostics().get(0);
    assertThat(d.location().toString() + ": " + d.message())
        .isEqualTo(".tollgate/spec-kit.yml:3:7: invalid YAML: expected ',' or ']', but got :");
  }

  @Test
  void tab_indentation_is_a_syntax_error_with_position() {
    TollgateException e = failure("rules:\n\tSK009: off\n");
    assertThat(lines(e).get(0)).startsWith(".tollgate/spec-kit.yml:2:1: invalid YAML: ");
  }

  @Test
  void unknown_key_suggests_closest_allowed_key() {
    TollgateException e = failure("strict: true\nstirct: false\n");
    assertThat(lines(e))
        .containsExactly(
            ".tollgate/spec-kit.yml:2:1: unknown key 'stirct'; did you mean `strict`?");
    assertThat(e.diagnostics().get(0).hint())
        .contains("Allowed keys: ignore, limit, rules, strict.");
  }

  @Test
  void nested_unknown_key_names_its_parent() {
    TollgateException e = failure("ignore:\n  - path: a\n    rule: [SK001]\n");
    assertThat(lines(e))
        .containsExactly(
            ".tollgate/spec-kit.yml:3:5: unknown key 'rule' in ignore[0]; did you mean `rules`?");
  }

  @Test
  void unknown_key_without_close_match_has_no_suggestion() {
    assertThat(lines(failure("colour: blue\n")))
        .containsExactly(".tollgate/spec-kit.yml:1:1: unknown key 'colour'");
  }

  @Test
  void wrong_type_names_expected_and_actual() {
    assertThat(lines(failure("strict: yes\n")))
        .containsExactly(".tollgate/spec-kit.yml:1:9: strict must be true or false but was 'yes'");
    assertThat(lines(failure("rules:\n  - SK009\n")))
        .containsExactly(".tollgate/spec-kit.yml:2:3: rules must be a mapping but was a list");
    assertThat(lines(failure("limit: 0\n")))
        .containsExactly(".tollgate/spec-kit.yml:1:8: limit must be >= 1 but was '0'");
  }

  @Test
  void missing_required_key_is_reported_at_the_object() {
    assertThat(lines(failure("ignore:\n  - rules: [SK001]\n")))
        .containsExactly(
            ".tollgate/spec-kit.yml:2:5: ignore[0] is missing the required key 'path'");
  }

  @Test
  void duplicate_key_is_rejected_at_second_occurrence() {
    assertThat(lines(failure("strict: true\nrules: {}\nstrict: false\n")))
        .containsExactly(".tollgate/spec-kit.yml:3:1: duplicate key 'strict' (first at line 1)");
  }

  @Test
  void several_errors_are_all_reported_in_file_order() {
    TollgateException e = failure("strict: 1\nrules:\n  SK009: loud\n");
    assertThat(lines(e))
        .containsExactly(
            ".tollgate/spec-kit.yml:1:9: strict must be true or false but was '1'",
            ".tollgate/spec-kit.yml:3:10: rules.SK009 must be one of error, warning, info, off"
                + " but was 'loud'");
    assertThat(e.getMessage()).isEqualTo(String.join("\n", lines(e)));
  }

  /** Lines {@code aN: &aN [*aN-1, ...]}, each list holding {@code width} aliases to the last. */
  private static String aliasLadder(int levels, int width) {
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < levels; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < width; j++) {
        yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      yaml.append("]\n");
    }
    return yaml.toString();
  }

  @Test
  void alias_bomb_is_refused_at_the_alias_that_passes_the_value_limit() {
    // Each line multiplies the values by 10; the 8th alias on line 5 passes 100000.
    assertThat(lines(failure(aliasLadder(10, 10))))
        .containsExactly(
            ".tollgate/spec-kit.yml:5:45: the document expands to more than 100000 values"
                + " through aliases");
  }

  @Test
  void more_than_fifty_aliases_of_lists_are_refused_at_the_first_one_too_many() {
    String yaml = "a0: &a0 [x, y]\nl:\n" + "  - *a0\n".repeat(60);
    assertThat(lines(failure(yaml)))
        .containsExactly(
            ".tollgate/spec-kit.yml:53:5: the document uses more than 50 aliases of lists or"
                + " mappings");
  }

  @Test
  void recursive_alias_is_refused_at_the_alias() {
    assertThat(lines(failure("a: &x\n  b: *x\n")))
        .containsExactly(
            ".tollgate/spec-kit.yml:2:6: alias *x refers to a list or mapping that contains it");
  }

  @Test
  void nesting_deeper_than_the_limit_is_refused_at_the_first_line_too_deep() {
    StringBuilder yaml = new StringBuilder();
    for (int depth = 0; depth < 70; depth++) {
      yaml.append("  ".repeat(depth)).append("k").append(depth).append(":\n");
    }
    // Line n opens the n-th nested mapping at column 2n - 1.
    assertThat(lines(failure(yaml.toString())))
        .containsExactly(
            ".tollgate/spec-kit.yml:65:129: the document nests lists and mappings more than 64"
                + " levels deep");
  }

  @Test
  void nesting_deeper_than_the_limit_in_flow_style_is_refused_where_it_starts() {
    String yaml = "rules:\n  x: " + "[".repeat(200) + "]".repeat(200) + "\n";
    assertThat(lines(failure(yaml)))
        .containsExactly(
            ".tollgate/spec-kit.yml:2:68: the document nests lists and mappings more than 64"
                + " levels deep");
  }

  @Test
  void nul_byte_is_refused_at_its_line_and_column() {
    assertThat(lines(failure("strict: true\nrules: {}\nignore: [a\u0000]\n")))
        .containsExactly(
            ".tollgate/spec-kit.yml:3:11: the file contains a NUL byte, which YAML does not"
                + " allow");
  }

  @Test
  void other_control_characters_are_refused_at_their_line_and_column() {
    assertThat(lines(failure("strict: true\r\nrules: \u0007\n")))
        .containsExactly(
            ".tollgate/spec-kit.yml:2:8: the file contains the control character U+0007, which"
                + " YAML does not allow");
  }

  private static byte[] oversized() {
    String line = "# " + "x".repeat(97) + "\n"; // 100 bytes
    return ("strict: true\n" + line.repeat(10_486) + "rules: {}\n" + line)
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void text_over_the_size_limit_is_refused_at_the_line_that_passes_the_limit() {
    // 13 + 10486 * 100 = 1048613 bytes before "rules": byte 1048577 is on line 10487, column 64.
    byte[] bytes = oversized();
    TollgateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            TollgateException.class, () -> YamlConfig.parse(bytes, FILE, SCHEMA));
    assertThat(lines(e))
        .containsExactly(
            ".tollgate/spec-kit.yml:10487:64: the file has "
                + bytes.length
                + " bytes, more than the 1048576 a configuration file may have; the limit is"
                + " passed here");
  }

  @Test
  void file_over_the_size_limit_is_refused_at_the_line_that_passes_the_limit(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("big.yml");
    byte[] bytes = oversized();
    Files.write(file, bytes);
    assertThatThrownBy(() -> YamlConfig.load(file, "big.yml", SCHEMA))
        .isInstanceOf(TollgateException.class)
        .hasMessage(
            "big.yml:10487:64: the file has "
                + bytes.length
                + " bytes, more than the 1048576 a configuration file may have; the limit is"
                + " passed here");
  }

  @Test
  void merge_keys_and_custom_tags_are_rejected() {
    assertThat(lines(failure("base: &b {strict: true}\n<<: *b\n")))
        .contains(".tollgate/spec-kit.yml:2:1: merge keys ('<<') are not supported");
    assertThat(lines(failure("strict: !!binary aGk=\n")).get(0))
        .isEqualTo(".tollgate/spec-kit.yml:1:9: tag tag:yaml.org,2002:binary is not supported");
  }

  @Test
  void multiple_documents_are_a_syntax_error() {
    assertThat(lines(failure("strict: true\n---\nstrict: false\n")).get(0))
        .isEqualTo(
            ".tollgate/spec-kit.yml:2:1: invalid YAML: expected a single document in the stream"
                + " but found another document");
  }

  @Test
  void invalid_utf8_is_reported_with_position() {
    byte[] bytes = "strict: true\nrules: \"x".getBytes(StandardCharsets.UTF_8);
    byte[] bad = java.util.Arrays.copyOf(bytes, bytes.length + 2);
    bad[bytes.length] = (byte) 0xC3;
    bad[bytes.length + 1] = (byte) 0x28;
    TollgateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            TollgateException.class, () -> YamlConfig.parse(bad, FILE, SCHEMA));
    assertThat(lines(e))
        .containsExactly(
            ".tollgate/spec-kit.yml:2:10: file is not valid UTF-8 (bad byte 0xC3 at offset 22)");
  }

  @Test
  void byte_order_mark_is_skipped() {
    byte[] bytes = "\uFEFFstrict: true\n".getBytes(StandardCharsets.UTF_8);
    ConfigDocument doc = YamlConfig.parse(bytes, FILE, SCHEMA);
    assertThat(doc.root().path("strict").asBoolean()).isTrue();
    assertThat(doc.locate("/strict")).isEqualTo(Location.of(FILE, 1, 9));
  }

  @Test
  void missing_file_is_bad_input(@TempDir Path dir) {
    assertThatThrownBy(() -> YamlConfig.load(dir.resolve("nope.yml"), "nope.yml", SCHEMA))
        .isInstanceOf(TollgateException.class)
        .hasMessage("nope.yml: file does not exist");
  }

  @Test
  void loads_file_from_disk(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c.yml");
    Files.writeString(file, "limit: 3\n");
    assertThat(YamlConfig.load(file, "c.yml", SCHEMA).root().path("limit").asInt()).isEqualTo(3);
  }

  @Test
  void did_you_mean_finds_typos_but_not_unrelated_words() {
    assertThat(DidYouMean.suggest("SK09", List.of("SK009", "SK019", "SK001"))).contains("SK009");
    assertThat(DidYouMean.suggest("colour", List.of("strict", "rules"))).isEmpty();
    assertThat(DidYouMean.distance("kitten", "sitting")).isEqualTo(3);
  }
}
