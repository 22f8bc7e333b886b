package dev.tollgate.actions.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControlCharactersTest {
  @Test
  void plainTextComesBackAsItIs() {
    String text = "feat: ğüş → done\twith a tab";
    assertThat(ControlCharacters.escape(text)).isSameAs(text);
  }

  @Test
  void lineBreaksBecomeVisibleEscapes() {
    assertThat(ControlCharacters.escape("a\nb\r\nc")).isEqualTo("a\\nb\\r\\nc");
  }

  @Test
  void otherControlCharactersBecomeUnicodeEscapes() {
    assertThat(ControlCharacters.escape("bell\u0007 esc\u001b del\u007f c1\u0085"))
        .isEqualTo("bell\\u0007 esc\\u001B del\\u007F c1\\u0085");
  }

  @Test
  void bidirectionalOverridesAreEscapedSoTextReadsAsItIs() {
    assertThat(ControlCharacters.escape("x\u202Ey\u2066z\u2069"))
        .isEqualTo("x\\u202Ey\\u2066z\\u2069");
    assertThat(ControlCharacters.escape("\u202Dok\u2067")).isEqualTo("\\u202Dok\\u2067");
  }
}
