package dev.tollgate.actions.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The workflow-command escaping keeps user text from ending or forging a command. */
class WorkflowCommandsProperties {

  /** Text rich in the characters that matter: %, CR, LF, ':', ',' and "::". */
  @Provide
  Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("%\r\n:,ab0 ").ofMaxLength(40),
        Arbitraries.strings().all().ofMaxLength(40));
  }

  @Property
  void escaped_data_has_no_line_breaks(@ForAll("text") String text) {
    assertThat(WorkflowCommands.escapeData(text)).doesNotContain("\n", "\r");
  }

  @Property
  void escaped_properties_have_no_line_breaks_colons_or_commas(@ForAll("text") String text) {
    assertThat(WorkflowCommands.escapeProperty(text)).doesNotContain("\n", "\r", ":", ",");
  }

  @Property
  void escaping_is_undone_exactly_by_the_runners_unescaping(@ForAll("text") String text) {
    assertThat(unescape(WorkflowCommands.escapeData(text))).isEqualTo(text);
    assertThat(unescape(WorkflowCommands.escapeProperty(text))).isEqualTo(text);
  }

  @Property
  void every_mask_line_is_one_command_and_unescapes_to_a_line_of_the_secret(
      @ForAll("text") String secret) {
    for (String line : WorkflowCommands.mask(secret)) {
      assertThat(line).startsWith("::add-mask::").doesNotContain("\n", "\r");
      String data = unescape(line.substring("::add-mask::".length()));
      assertThat(secret).contains(data);
      assertThat(data).isNotBlank();
    }
  }

  /** The Actions runner's unescaping, applied in its order: {@code %25} last. */
  static String unescape(String s) {
    return s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%");
  }
}
