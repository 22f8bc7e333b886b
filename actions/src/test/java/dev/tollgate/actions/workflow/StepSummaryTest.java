package dev.tollgate.actions.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepSummaryTest {
  @TempDir Path dir;

  @Test
  void appends_markdown_with_a_trailing_line_break() throws IOException {
    Path file = dir.resolve("summary.md");
    Files.writeString(file, "# Before\n");
    boolean cut = StepSummary.at(file).append("### Gate passed", "n/a");
    assertThat(cut).isFalse();
    assertThat(Files.readString(file)).isEqualTo("# Before\n### Gate passed\n");
  }

  @Test
  void cuts_at_a_line_end_to_stay_under_one_mebibyte_and_says_where_the_rest_is()
      throws IOException {
    Path file = dir.resolve("summary.md");
    Files.writeString(file, "x".repeat(1000) + "\n");
    String row = "| ❌ error | src/A.java:1 | secrets | a finding |\n";
    String big = row.repeat((StepSummary.MAX_BYTES / row.length()) + 10);
    boolean cut = StepSummary.at(file).append(big, "The full report is report.json.");
    assertThat(cut).isTrue();
    assertThat(Files.size(file)).isLessThanOrEqualTo(StepSummary.MAX_BYTES);
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(text).endsWith("The full report is report.json.\n");
    String kept = text.substring(1001, text.indexOf("\n> **Summary cut:**"));
    assertThat(kept.split("\n", -1)).allMatch(l -> l.isEmpty() || l.equals(row.strip()));
  }

  @Test
  void adds_nothing_when_the_file_is_already_full() throws IOException {
    Path file = dir.resolve("summary.md");
    Files.writeString(file, "y".repeat(StepSummary.MAX_BYTES - 10));
    assertThat(StepSummary.at(file).append("more than ten bytes\n", "elsewhere")).isTrue();
    assertThat(Files.size(file)).isEqualTo(StepSummary.MAX_BYTES - 10);
  }

  @Test
  void cuts_only_at_line_ends_and_never_splits_a_character() {
    assertThat(StepSummary.cutAtLine("ab\n✅✅\ncd", 6)).isEqualTo("ab\n");
    assertThat(StepSummary.cutAtLine("ab\n✅✅\ncd", 10)).isEqualTo("ab\n✅✅\n");
  }
}
