package dev.tollgate.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DocPageTest {

  @Test
  void shell_blocks_give_their_commands_in_order_with_continuations_joined_and_comments_skipped() {
    DocPage page =
        DocPage.parse(
            "p.md",
            String.join(
                "\n",
                "# Title",
                "```sh",
                "# a comment",
                "./tollgate items list --dir x   # the board",
                "",
                "./tollgate runs enqueue t \\",
                "    -p a=1",
                "```",
                "```yaml",
                "not: a command",
                "```",
                "```bash",
                "echo done",
                "```"));

    assertThat(page.commands())
        .extracting(DocPage.Command::line, DocPage.Command::text)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(4, "./tollgate items list --dir x # the board"),
            org.assertj.core.groups.Tuple.tuple(6, "./tollgate runs enqueue t -p a=1"),
            org.assertj.core.groups.Tuple.tuple(13, "echo done"));
    assertThat(page.commands()).allMatch(c -> c.runs() && c.expectedExit() == 0);
    assertThat(page.optedIn()).isFalse();
  }

  @Test
  void directives_set_exit_codes_and_mark_commands_not_run_by_their_start() {
    DocPage page =
        DocPage.parse(
            "p.md",
            String.join(
                "\n",
                "<!-- doc-test",
                "./tollgate gate => exit 1",
                "./mvnw verify => not run: it is the suite itself",
                "-->",
                "",
                "```sh",
                "./tollgate gate --repo r",
                "./mvnw verify",
                "```",
                "<!-- doc-test * => not run: needs GitHub -->",
                "```sh",
                "gh pr view",
                "```"));

    List<DocPage.Command> c = page.commands();
    assertThat(c.get(0).expectedExit()).isEqualTo(1);
    assertThat(c.get(0).runs()).isTrue();
    assertThat(c.get(1).notRun()).contains("it is the suite itself");
    assertThat(c.get(2).notRun()).contains("needs GitHub");
  }

  @Test
  void an_output_block_belongs_to_the_last_command_before_it_or_to_the_one_it_names() {
    DocPage page =
        DocPage.parse(
            "p.md",
            String.join(
                "\n",
                "```sh",
                "echo one",
                "echo two",
                "```",
                "It prints",
                "```output echo one",
                "one",
                "```",
                "```output",
                "two",
                "```"));

    assertThat(page.commands().get(0).output())
        .map(DocPage.Expected::lines)
        .isEqualTo(Optional.of(List.of("one")));
    assertThat(page.commands().get(0).output().orElseThrow().line()).isEqualTo(7);
    assertThat(page.commands().get(1).output())
        .map(DocPage.Expected::lines)
        .isEqualTo(Optional.of(List.of("two")));
  }

  @Test
  void the_opt_in_line_counts_only_outside_code_blocks() {
    assertThat(DocPage.parse("p.md", "```text\n" + DocPage.OPT_IN + "\n```\n").optedIn()).isFalse();
    assertThat(DocPage.parse("p.md", "# P\n\n" + DocPage.OPT_IN + "\n").optedIn()).isTrue();
  }

  @Test
  void mistakes_in_directives_are_reported_with_page_and_line() {
    assertThatThrownBy(
            () -> DocPage.parse("p.md", "<!-- doc-test\nnope => exit 1\n-->\n```sh\necho\n```"))
        .hasMessage("p.md:2: doc-test selector 'nope' names no command of the block");
    assertThatThrownBy(
            () -> DocPage.parse("p.md", "<!-- doc-test * => exits 1 -->\n```sh\necho\n```"))
        .hasMessage("p.md:1: expected 'exit N' or 'not run: REASON' after '=>', found 'exits 1'");
    assertThatThrownBy(
            () -> DocPage.parse("p.md", "<!-- doc-test * => not run:  -->\n```sh\necho\n```"))
        .hasMessageStartingWith("p.md:1: expected 'exit N' or 'not run: REASON'");
    assertThatThrownBy(
            () ->
                DocPage.parse(
                    "p.md", "<!-- doc-test * => exit 1 -->\nSome prose.\n```sh\necho\n```"))
        .hasMessage("p.md:1: doc-test directives must come right before a shell block");
    assertThatThrownBy(() -> DocPage.parse("p.md", "Text\n```output\nx\n```"))
        .hasMessage("p.md:2: an output block with no shell block before it");
    assertThatThrownBy(
            () ->
                DocPage.parse(
                    "p.md",
                    "<!-- doc-test * => not run: GitHub -->\n```sh\ngh x\n```\n```output\ny\n```"))
        .hasMessage(
            "p.md:5: output shown for 'gh x', which is not run; show it in a plain block instead");
  }
}
