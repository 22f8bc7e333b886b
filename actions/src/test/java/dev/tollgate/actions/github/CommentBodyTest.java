package dev.tollgate.actions.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A body over the limit is cut so that its Markdown stays whole. */
class CommentBodyTest {
  private static final Optional<String> RUN = Optional.of("https://github.com/o/r/actions/runs/1");
  private static final String NOTE = "Cut to fit GitHub's size limit.";

  private static String fit(String markdown, int limit) {
    String fitted = CommentBody.of(List.of(markdown), RUN).fit(limit);
    assertThat(fitted.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(limit);
    MarkdownShape.assertWhole(fitted);
    MarkdownShape.assertEndsWithParagraph(fitted, NOTE);
    return fitted;
  }

  @Test
  void a_code_fence_open_at_the_cut_is_closed_before_the_note() {
    String log = "### Build log\n\n```text\n" + "compiling module …\n".repeat(400) + "```\n";

    String fitted = fit(log, 2_000);

    assertThat(fitted).startsWith("### Build log\n\n```text\ncompiling module …\n");
    assertThat(fitted).contains("compiling module …\n```\n\n_Cut to fit GitHub's size limit.");
  }

  @Test
  void a_longer_tilde_fence_is_closed_with_its_own_character_and_length() {
    String text = "~~~~~ diff\n" + "+ a line with ``` inside\n".repeat(300) + "~~~~~\n";

    String fitted = fit(text, 1_500);

    assertThat(fitted).contains("+ a line with ``` inside\n~~~~~\n\n_Cut");
  }

  @Test
  void a_table_cut_between_rows_keeps_its_header_and_whole_rows() {
    StringBuilder table =
        new StringBuilder("## Findings\n\n| File | Line | Message |\n| --- | ---: | --- |\n");
    for (int i = 0; i < 500; i++) {
      table
          .append("| `src/F")
          .append(i)
          .append(".java` | ")
          .append(i)
          .append(" | unused import |\n");
    }

    String fitted = fit(table.toString(), 3_000);

    assertThat(fitted)
        .startsWith(
            "## Findings\n\n| File | Line | Message |\n| --- | ---: | --- |\n| `src/F0.java` | 0 |");
    String beforeNote = fitted.substring(0, fitted.indexOf("\n\n_Cut"));
    assertThat(beforeNote.lines().skip(2)).allMatch(l -> l.startsWith("| ") && l.endsWith(" |"));
  }

  @Test
  void a_table_whose_header_and_first_row_do_not_fit_is_dropped_whole() {
    String intro = "Some text before the table.\n\n";
    String table =
        "| A very wide header cell that takes room | B |\n| --- | --- |\n"
            + ("| " + "x".repeat(400) + " | y |\n").repeat(3);

    String fitted = fit(intro + table, 400);

    assertThat(fitted).startsWith(intro).doesNotContain("| A very wide header");
  }

  @Test
  void open_details_are_closed_so_the_note_is_not_hidden_in_them() {
    String text =
        "### Report\n\n<details><summary>All findings</summary>\n\n"
            + "- a finding with some words\n".repeat(500)
            + "\n</details>\n";

    String fitted = fit(text, 2_000);

    assertThat(fitted).contains("- a finding with some words\n</details>\n\n_Cut");
  }

  @Test
  void a_fence_inside_details_closes_both() {
    String text =
        "<details><summary>log</summary>\n\n```\n" + "line\n".repeat(1_000) + "```\n\n</details>\n";

    String fitted = fit(text, 1_000);

    assertThat(fitted).contains("line\n```\n</details>\n\n_Cut");
  }
}
