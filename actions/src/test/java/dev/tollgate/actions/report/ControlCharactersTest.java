package dev.tollgate.actions.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControlCharactersTest {
  @Test
  void plain_text_comes_back_as_it_is() {
    String text = "feat: ğüş → done\twith a tab";
    assertThat(ControlCharacters.escape(text)).isSameAs(text);
  }

  @Test
  void line_breaks_become_visible_escapes() {
    assertThat(ControlCharacters.escape("a\nb\r\nc")).isEqualTo("a\\nb\\r\\nc");
  }

  @Test
  void other_control_characters_become_unicode_escapes() {
    assertThat(ControlCharacters.escape("bell\u0007 esc\u001b del\u007f c1\u0085"))
        .isEqualTo("bell\\u0007 esc\\u001B del\\u007F c1\\u0085");
  }

  @Test
  void bidirectional_overrides_are_escaped_so_text_reads_as_it_is() {
    assertThat(ControlCharacters.escape("x\u202Ey\u2066z\u2069"))
        .isEqualTo("x\\u202Ey\\u2066z\\u2069");
    assertThat(ControlCharacters.escape("\u202Dok\u2067")).isEqualTo("\\u202Dok\\u2067");
  }
}
