package dev.tollgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.TollgateException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class YamlConfigProperties {

  @Property(tries = 500)
  void never_throws_anything_but_tollgate_exception_on_arbitrary_text(
      @ForAll("yamlish") String text) {
    check(text);
  }

  @Property(tries = 300)
  void never_throws_anything_but_tollgate_exception_on_arbitrary_bytes(@ForAll byte[] bytes) {
    try {
      YamlConfig.parse(bytes, "c.yml", YamlConfigTest.SCHEMA);
    } catch (TollgateException e) {
      assertDiagnosticsInsideFile(e);
    }
  }

  private static void check(String text) {
    try {
      YamlConfig.parse(text, "c.yml", YamlConfigTest.SCHEMA);
    } catch (TollgateException e) {
      assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT);
      assertDiagnosticsInsideFile(e);
    }
  }

  @Property(tries = 500)
  void every_refusal_of_text_points_at_a_line_and_column(@ForAll("yamlish") String text) {
    try {
      YamlConfig.parse(text, "c.yml", YamlConfigTest.SCHEMA);
    } catch (TollgateException e) {
      e.diagnostics()
          .forEach(
              d -> {
                assertThat(d.location().line()).as(d.toString()).isPositive();
                assertThat(d.location().column()).as(d.toString()).isPositive();
              });
    }
  }

  private static void assertDiagnosticsInsideFile(TollgateException e) {
    assertThat(e.diagnostics()).isNotEmpty();
    e.diagnostics().forEach(d -> assertThat(d.location().file()).isEqualTo("c.yml"));
  }

  @Provide
  Arbitrary<String> yamlish() {
    Arbitrary<String> tokens =
        Arbitraries.of(
            "strict",
            "rules",
            "ignore",
            "path",
            ":",
            " ",
            "\n",
            "  ",
            "- ",
            "[",
            "]",
            "{",
            "}",
            ",",
            "&a",
            "*a",
            "!!str",
            "!!binary",
            "'",
            "\"",
            "#",
            "SK009",
            "off",
            "loud",
            "true",
            "---",
            "<<",
            "?",
            "|",
            ">",
            "\t",
            "%YAML 1.2",
            "\\",
            "\u0000",
            "\uFEFF",
            "é",
            "0x1F");
    return Arbitraries.oneOf(
        tokens.list().ofMaxSize(40).map(l -> String.join("", l)),
        Arbitraries.strings().ofMaxLength(200));
  }
}
