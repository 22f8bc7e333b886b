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
  void readsValidDocumentWithPositions() {
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
  void emptyFileIsRefusedSayingWhatWasExpected() {
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
  void emptyMappingWrittenOutIsAccepted() {
    assertThat(YamlConfig.parse("{}\n", FILE, SCHEMA).root().size()).isZero();
  }

  @Test
  void enumViolationNamesExpectedAndActualAtValue() {
    TollgateException e = failure("strict: false\nrules:\n  SK009: loud\n");
    assertThat(lines(e))
        .containsExactly(
            ".tollgate/spec-kit.yml:3:10: rules.SK009 must be one of error, warning, info, off"
                + " but was 'loud'");
    assertThat(e.getMessage()).isEqualTo(lines(e).get(0));
    assertThat(e.diagnostics().get(0).ruleId()).isEqualTo("config");
  }

  @Test
  void syntaxErrorReportsPositionOfProblem() {
    TollgateException e = failure("strict: true\nrules: [a, b\nignore: x\n");
    assertThat(e.diagnostics()).hasSize(1);
    Diagnostic d = e.diagnostics().get(0);
    assertThat(d.location().toString() + ": " + d.message())
        .isEqualTo(".tollgate/spec-kit.yml:3:7: invalid YAML: expected ',' or ']', but got :");
  }

  @Test
  void tabIndentationIsASyntaxErrorWithPosition() {
    TollgateException e = failure("rules:\n\tSK009: off\n");
    assertThat(lines(e).get(0)).startsWith(".tollgate/spec-kit.yml:2:1: invalid YAML: ");
  }

  @Test
  void unknownKeySuggestsClosestAllowedKey() {
    TollgateException e = failure("strict: true\nstirct: false\n");
    assertThat(lines(e))
        .containsExactly(
            ".tollgate/spec-kit.yml:2:1: unknown key 'stirct'; did you mean `strict`?");
    assertThat(e.diagnostics().get(0).hint())
        .contains("Allowed keys: ignore, limit, rules, strict.");
  }

  @Test
  void nestedUnknownKeyNamesItsParent() {
    TollgateException e = failure("ignore:\n  - path: a\n    rule: [SK001]\n");
    assertThat(lines(e))
        .containsExactly(
            ".tollgate/spec-kit.yml:3:5: unknown key 'rule' in ignore[0]; did you mean `rules`?");
  }

  @Test
  void unknownKeyWithoutCloseMatchHasNoSuggestion() {
    assertThat(lines(failure("colour: blue\n")))
        .containsExactly(".tollgate/spec-kit.yml:1:1: unknown key 'colour'");
  }

  @Test
  void wrongTypeNamesExpectedAndActual() {
    assertThat(lines(failure("strict: yes\n")))
        .containsExactly(".tollgate/spec-kit.yml:1:9: strict must be true or false but was 'yes'");
    assertThat(lines(failure("rules:\n  - SK009\n")))
        .containsExactly(".tollgate/spec-kit.yml:2:3: rules must be a mapping but was a list");
    assertThat(lines(failure("limit: 0\n")))
        .containsExactly(".tollgate/spec-kit.yml:1:8: limit must be >= 1 but was '0'");
  }

  @Test
  void missingRequiredKeyIsReportedAtTheObject() {
    assertThat(lines(failure("ignore:\n  - rules: [SK001]\n")))
        .containsExactly(
            ".tollgate/spec-kit.yml:2:5: ignore[0] is missing the required key 'path'");
  }

  @Test
  void duplicateKeyIsRejectedAtSecondOccurrence() {
    assertThat(lines(failure("strict: true\nrules: {}\nstrict: false\n")))
        .containsExactly(".tollgate/spec-kit.yml:3:1: duplicate key 'strict' (first at line 1)");
  }

  @Test
  void severalErrorsAreAllReportedInFileOrder() {
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
  void aliasBombIsRefusedAtTheAliasThatPassesTheValueLimit() {
    // Each line multiplies the values by 10; the 8th alias on line 5 passes 100000.
    assertThat(lines(failure(aliasLadder(10, 10))))
        .containsExactly(
            ".tollgate/spec-kit.yml:5:45: the document expands to more than 100000 values"
                + " through aliases");
  }

  @Test
  void moreThanFiftyAliasesOfListsAreRefusedAtTheFirstOneTooMany() {
    String yaml = "a0: &a0 [x, y]\nl:\n" + "  - *a0\n".repeat(60);
    assertThat(lines(failure(yaml)))
        .containsExactly(
            ".tollgate/spec-kit.yml:53:5: the document uses more than 50 aliases of lists or"
                + " mappings");
  }

  @Test
  void recursiveAliasIsRefusedAtTheAlias() {
    assertThat(lines(failure("a: &x\n  b: *x\n")))
        .containsExactly(
            ".tollgate/spec-kit.yml:2:6: alias *x refers to a list or mapping that contains it");
  }

  @Test
  void nestingDeeperThanTheLimitIsRefusedAtTheFirstLineTooDeep() {
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
  void nestingDeeperThanTheLimitInFlowStyleIsRefusedWhereItStarts() {
    String yaml = "rules:\n  x: " + "[".repeat(200) + "]".repeat(200) + "\n";
    assertThat(lines(failure(yaml)))
        .containsExactly(
            ".tollgate/spec-kit.yml:2:68: the document nests lists and mappings more than 64"
                + " levels deep");
  }

  @Test
  void nulByteIsRefusedAtItsLineAndColumn() {
    assertThat(lines(failure("strict: true\nrules: {}\nignore: [a\u0000]\n")))
        .containsExactly(
            ".tollgate/spec-kit.yml:3:11: the file contains a NUL byte, which YAML does not"
                + " allow");
  }

  @Test
  void otherControlCharactersAreRefusedAtTheirLineAndColumn() {
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
  void textOverTheSizeLimitIsRefusedAtTheLineThatPassesTheLimit() {
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
  void fileOverTheSizeLimitIsRefusedAtTheLineThatPassesTheLimit(@TempDir Path dir)
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
  void mergeKeysAndCustomTagsAreRejected() {
    assertThat(lines(failure("base: &b {strict: true}\n<<: *b\n")))
        .contains(".tollgate/spec-kit.yml:2:1: merge keys ('<<') are not supported");
    assertThat(lines(failure("strict: !!binary aGk=\n")).get(0))
        .isEqualTo(".tollgate/spec-kit.yml:1:9: tag tag:yaml.org,2002:binary is not supported");
  }

  @Test
  void multipleDocumentsAreASyntaxError() {
    assertThat(lines(failure("strict: true\n---\nstrict: false\n")).get(0))
        .isEqualTo(
            ".tollgate/spec-kit.yml:2:1: invalid YAML: expected a single document in the stream"
                + " but found another document");
  }

  @Test
  void invalidUtf8IsReportedWithPosition() {
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
  void byteOrderMarkIsSkipped() {
    byte[] bytes = "\uFEFFstrict: true\n".getBytes(StandardCharsets.UTF_8);
    ConfigDocument doc = YamlConfig.parse(bytes, FILE, SCHEMA);
    assertThat(doc.root().path("strict").asBoolean()).isTrue();
    assertThat(doc.locate("/strict")).isEqualTo(Location.of(FILE, 1, 9));
  }

  @Test
  void missingFileIsBadInput(@TempDir Path dir) {
    assertThatThrownBy(() -> YamlConfig.load(dir.resolve("nope.yml"), "nope.yml", SCHEMA))
        .isInstanceOf(TollgateException.class)
        .hasMessage("nope.yml: file does not exist");
  }

  @Test
  void loadsFileFromDisk(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c.yml");
    Files.writeString(file, "limit: 3\n");
    assertThat(YamlConfig.load(file, "c.yml", SCHEMA).root().path("limit").asInt()).isEqualTo(3);
  }

  @Test
  void didYouMeanFindsTyposButNotUnrelatedWords() {
    assertThat(DidYouMean.suggest("SK09", List.of("SK009", "SK019", "SK001"))).contains("SK009");
    assertThat(DidYouMean.suggest("colour", List.of("strict", "rules"))).isEmpty();
    assertThat(DidYouMean.distance("kitten", "sitting")).isEqualTo(3);
  }
}
