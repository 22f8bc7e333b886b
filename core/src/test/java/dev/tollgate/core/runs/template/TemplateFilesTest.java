package dev.tollgate.core.runs.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateFilesTest {
  private static final String GOOD =
      "name: restart\nlane: ops\nsteps:\n  - name: a\n    shell: 'true'\n";

  @Test
  void a_saved_template_is_what_the_catalog_then_reads(@TempDir Path root) throws IOException {
    TemplateFiles files = TemplateFiles.forProject(root);
    assertThat(files.writable()).isTrue();
    assertThat(files.read("restart")).isEmpty();
    TemplateFiles.Saved saved = files.save("restart", GOOD, null);
    assertThat(saved).isInstanceOf(TemplateFiles.Saved.Written.class);
    assertThat(TemplateCatalog.forProject(root).get("restart").lane()).isEqualTo("ops");
    String version = ((TemplateFiles.Saved.Written) saved).version();
    assertThat(files.read("restart").orElseThrow().version()).isEqualTo(version);

    TemplateFiles.Saved again = files.save("restart", GOOD.replace("ops", "nightly"), version);
    assertThat(again).isInstanceOf(TemplateFiles.Saved.Written.class);
    assertThat(TemplateCatalog.forProject(root).get("restart").lane()).isEqualTo("nightly");
    try (var listing = Files.list(root.resolve(".tollgate/templates"))) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("restart.yml");
    }
  }

  @Test
  void a_text_with_problems_is_never_written(@TempDir Path root) throws IOException {
    TemplateFiles files = TemplateFiles.forProject(root);
    String version = ((TemplateFiles.Saved.Written) files.save("restart", GOOD, null)).version();
    TemplateFiles.Saved saved = files.save("restart", GOOD + "bogus: 1\n", version);
    assertThat(saved).isInstanceOf(TemplateFiles.Saved.Invalid.class);
    assertThat(((TemplateFiles.Saved.Invalid) saved).draft().problems()).isNotEmpty();
    assertThat(Files.readString(root.resolve(".tollgate/templates/restart.yml"))).isEqualTo(GOOD);
  }

  @Test
  void a_file_changed_since_it_was_read_is_not_overwritten(@TempDir Path root) throws IOException {
    TemplateFiles files = TemplateFiles.forProject(root);
    String version = ((TemplateFiles.Saved.Written) files.save("restart", GOOD, null)).version();
    String theirs = GOOD.replace("ops", "theirs");
    Files.writeString(root.resolve(".tollgate/templates/restart.yml"), theirs);

    TemplateFiles.Saved saved = files.save("restart", GOOD.replace("ops", "mine"), version);
    assertThat(saved).isInstanceOf(TemplateFiles.Saved.Stale.class);
    assertThat(((TemplateFiles.Saved.Stale) saved).current().orElseThrow().text())
        .isEqualTo(theirs);
    assertThat(Files.readString(root.resolve(".tollgate/templates/restart.yml"))).isEqualTo(theirs);
    // Creating a template that exists meanwhile is stale too.
    assertThat(files.save("restart", GOOD, null)).isInstanceOf(TemplateFiles.Saved.Stale.class);
  }

  @Test
  void a_file_that_cannot_be_written_fails_the_save_and_leaves_the_old_text(@TempDir Path root)
      throws IOException {
    TemplateFiles files = TemplateFiles.forProject(root);
    String version = ((TemplateFiles.Saved.Written) files.save("restart", GOOD, null)).version();
    // Something in the way of the copy the save writes first.
    Path inTheWay = root.resolve(".tollgate/templates/.restart.yml.saving");
    Files.createDirectories(inTheWay.resolve("occupied"));
    assertThatThrownBy(() -> files.save("restart", GOOD.replace("ops", "nightly"), version))
        .isInstanceOf(TollgateException.class)
        .hasMessageStartingWith("cannot write .tollgate/templates/restart.yml: ")
        .extracting(e -> ((TollgateException) e).kind())
        .isEqualTo(TollgateException.Kind.COULD_NOT_FINISH);
    assertThat(Files.readString(root.resolve(".tollgate/templates/restart.yml"))).isEqualTo(GOOD);
    assertThat(TemplateCatalog.forProject(root).get("restart").lane()).isEqualTo("ops");
  }

  @Test
  void a_project_that_does_not_exist_is_not_writable(@TempDir Path root) {
    assertThat(TemplateFiles.forProject(root.resolve("missing")).writable()).isFalse();
  }
}
