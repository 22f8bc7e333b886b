package dev.tollgate.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShownOutputTest {

  private static boolean matches(List<String> shown, String printed) {
    return ShownOutput.of(shown, "/tmp/tollgate-docs123").matches(printed);
  }

  @Test
  void lines_must_match_whole_apart_from_trailing_spaces_and_blank_lines() {
    assertThat(matches(List.of("a", "b"), "a  \nb\n\n")).isTrue();
    assertThat(matches(List.of("a", "b"), "a\nb\nc\n")).isFalse();
    assertThat(matches(List.of("a", "b"), "a\nbb\n")).isFalse();
    assertThat(matches(List.of("a"), "")).isFalse();
    assertThat(matches(List.of(), "")).isTrue();
  }

  @Test
  void an_ellipsis_line_stands_for_any_number_of_lines_none_included() {
    List<String> shown = List.of("first", "...", "last");
    assertThat(matches(shown, "first\nlast\n")).isTrue();
    assertThat(matches(shown, "first\nx\ny\nlast\n")).isTrue();
    assertThat(matches(shown, "first\nx\n")).isFalse();
    assertThat(matches(List.of("...", "b", "..."), "a\nb\nc\n")).isTrue();
    assertThat(matches(List.of("...", "b", "..."), "a\nc\n")).isFalse();
  }

  @Test
  void placeholders_match_the_parts_that_vary_and_nothing_else() {
    assertThat(matches(List.of("worker [ID] on lanes ops"), "worker vm-6915-3efe8bc8 on lanes ops"))
        .isTrue();
    assertThat(matches(List.of("worker [ID] on lanes ops"), "worker a b on lanes ops")).isFalse();
    assertThat(matches(List.of("run [INT] queued"), "run 42 queued")).isTrue();
    assertThat(matches(List.of("run [INT] queued"), "run x queued")).isFalse();
    assertThat(matches(List.of("took [TIME]"), "took 1.2s")).isTrue();
    assertThat(matches(List.of("took [TIME]"), "took 1m30s")).isTrue();
    assertThat(matches(List.of("at [TIME]"), "at 2026-12-06T10:15:30Z")).isTrue();
    assertThat(matches(List.of("at [TIME]"), "at 10:15:30")).isTrue();
    assertThat(matches(List.of("at [TIME]"), "at soon")).isFalse();
    assertThat(matches(List.of("in [SANDBOX]/x"), "in /tmp/tollgate-docs123/x")).isTrue();
    assertThat(matches(List.of("in [SANDBOX]/x"), "in /tmp/other/x")).isFalse();
    assertThat(matches(List.of("a [..] z"), "a anything at all z")).isTrue();
  }

  @Test
  void regular_expression_characters_in_the_page_are_taken_literally() {
    assertThat(matches(List.of("a.b (c) [d] $e"), "a.b (c) [d] $e")).isTrue();
    assertThat(matches(List.of("a.b"), "axb")).isFalse();
  }
}
