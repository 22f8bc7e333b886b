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
  void escapedDataHasNoLineBreaks(@ForAll("text") String text) {
    assertThat(WorkflowCommands.escapeData(text)).doesNotContain("\n", "\r");
  }

  @Property
  void escapedPropertiesHaveNoLineBreaksColonsOrCommas(@ForAll("text") String text) {
    assertThat(WorkflowCommands.escapeProperty(text)).doesNotContain("\n", "\r", ":", ",");
  }

  @Property
  void escapingIsUndoneExactlyByTheRunnersUnescaping(@ForAll("text") String text) {
    assertThat(unescape(WorkflowCommands.escapeData(text))).isEqualTo(text);
    assertThat(unescape(WorkflowCommands.escapeProperty(text))).isEqualTo(text);
  }

  @Property
  void everyMaskLineIsOneCommandAndUnescapesToALineOfTheSecret(@ForAll("text") String secret) {
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
