package dev.tollgate.core.runs.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateDraftTest {
  private static final String GOOD =
      "name: restart\nlane: ops\nsteps:\n  - name: a\n    shell: 'true'\n";

  @Test
  void a_valid_text_makes_its_template_and_the_diff_against_the_file() {
    String edited = GOOD.replace("lane: ops", "lane: nightly");
    TemplateDraft d = TemplateDraft.check("restart", edited, GOOD);
    assertThat(d.valid()).isTrue();
    assertThat(d.template().orElseThrow().lane()).isEqualTo("nightly");
    assertThat(d.file()).isEqualTo(".tollgate/templates/restart.yml");
    assertThat(d.isNew()).isFalse();
    assertThat(d.diff())
        .startsWith(
            "--- a/.tollgate/templates/restart.yml\n+++ b/.tollgate/templates/restart.yml\n")
        .contains("-lane: ops\n+lane: nightly\n");
  }

  @Test
  void an_unchanged_text_has_no_diff_and_a_new_file_diffs_from_nothing() {
    assertThat(TemplateDraft.check("restart", GOOD, GOOD).changed()).isFalse();
    TemplateDraft created = TemplateDraft.check("restart", GOOD, null);
    assertThat(created.isNew()).isTrue();
    assertThat(created.diff()).startsWith("--- /dev/null\n").contains("+name: restart\n");
  }

  @Test
  void a_broken_text_has_exactly_the_loaders_located_problems(@TempDir Path root)
      throws IOException {
    String broken =
        "name: restart\nlane: ops\nmax_attempts: none\nsteps:\n  - name: a\n    shel: 'true'\n";
    TemplateDraft d = TemplateDraft.check("restart", broken, GOOD);
    assertThat(d.valid()).isFalse();
    assertThat(d.problems()).isNotEmpty();
    assertThat(d.problems())
        .allSatisfy(p -> assertThat(p.location().line()).isPositive())
        .anySatisfy(p -> assertThat(p.location().line()).isEqualTo(3))
        .anySatisfy(p -> assertThat(p.location().line()).isEqualTo(6));
    // The catalog reading the same bytes from disk reports the same diagnostics.
    Files.createDirectories(root.resolve(".tollgate/templates"));
    Files.writeString(root.resolve(".tollgate/templates/restart.yml"), broken);
    List<Diagnostic> loader = List.of();
    try {
      TemplateCatalog.forProject(root);
    } catch (TollgateException e) {
      loader = e.diagnostics().stream().sorted().toList();
    }
    assertThat(d.problems()).isEqualTo(loader);
  }

  @Test
  void a_name_that_differs_from_the_file_name_is_a_located_problem() {
    TemplateDraft d = TemplateDraft.check("restart", GOOD.replace("restart", "other"), null);
    assertThat(d.valid()).isFalse();
    assertThat(d.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location().line()).isEqualTo(1);
              assertThat(p.message()).contains("'other'").contains("'restart'");
            });
  }

  @Test
  void text_that_is_not_yaml_is_a_problem_not_an_exception() {
    TemplateDraft d = TemplateDraft.check("restart", "name: [unclosed\n", GOOD);
    assertThat(d.valid()).isFalse();
    assertThat(d.problems()).isNotEmpty();
    assertThat(d.problems().get(0).location().file()).isEqualTo(".tollgate/templates/restart.yml");
  }

  @Test
  void a_name_that_could_leave_the_folder_is_refused() {
    for (String name : List.of("../etc/passwd", "a/b", "", "Upper", "-dash")) {
      assertThatThrownBy(() -> TemplateDraft.check(name, GOOD, null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("lower-case letters, digits and dashes");
    }
  }

  @Test
  void the_skeleton_of_a_new_template_is_a_valid_template_in_the_given_lane() {
    TemplateDraft d =
        TemplateDraft.check(
            "nightly-report", TemplateDraft.skeleton("nightly-report", "ops"), null);
    assertThat(d.problems()).isEmpty();
    assertThat(d.template().orElseThrow().lane()).isEqualTo("ops");
  }
}
