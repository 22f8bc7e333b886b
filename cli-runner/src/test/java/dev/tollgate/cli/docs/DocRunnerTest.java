package dev.tollgate.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The runner on real {@code sh} processes: what it reports when a page drifts, and when not. */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "the commands run with sh")
class DocRunnerTest {
  @TempDir Path dir;

  private List<DocRunner.Outcome> run(String page) throws Exception {
    return new DocRunner(dir, Map.of("PATH", System.getenv("PATH")), Duration.ofMinutes(1))
        .run(DocPage.parse("page.md", page));
  }

  @Test
  void a_page_that_shows_what_its_commands_do_has_no_problems() throws Exception {
    List<DocRunner.Outcome> outcomes =
        run(
            "<!-- doc-test\nexit 3 => exit 3\n-->\n```sh\necho hello > f\ncat f\nexit 3\n```\n"
                + "```output cat f\nhello\n```\n");

    assertThat(outcomes).hasSize(3).allMatch(o -> o.problems().isEmpty());
    assertThat(outcomes.get(1).printed()).isEqualTo("hello\n");
  }

  @Test
  void output_that_drifted_from_the_page_is_reported_with_what_was_printed() throws Exception {
    List<DocRunner.Outcome> outcomes =
        run("```sh\necho 'gates: 7 pass'\n```\n```output\ngates: 6 pass\n```\n");

    assertThat(outcomes.get(0).problems())
        .singleElement()
        .isEqualTo(
            "page.md:2: echo 'gates: 7 pass'\n"
                + "  printed what the page does not show at line 5.\n"
                + "  The page shows:\n"
                + "    gates: 6 pass\n"
                + "  It printed:\n"
                + "    gates: 7 pass");
  }

  @Test
  void an_exit_code_other_than_the_page_says_is_reported() throws Exception {
    List<DocRunner.Outcome> outcomes = run("```sh\necho oops >&2; exit 1\n```\n");

    assertThat(outcomes.get(0).problems())
        .singleElement()
        .isEqualTo(
            "page.md:2: echo oops >&2; exit 1\n"
                + "  exited with 1, the page says 0\n"
                + "  It printed:\n"
                + "    oops");
  }

  @Test
  void commands_marked_not_run_are_not_run() throws Exception {
    List<DocRunner.Outcome> outcomes =
        run("<!-- doc-test\ntouch => not run: shown only\n-->\n```sh\ntouch made\nls\n```\n");

    assertThat(outcomes).hasSize(1);
    assertThat(dir.resolve("made")).doesNotExist();
  }
}
