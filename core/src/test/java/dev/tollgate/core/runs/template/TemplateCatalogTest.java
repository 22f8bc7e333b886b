package dev.tollgate.core.runs.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateCatalogTest {
  static void write(Path root, String file, String text) throws IOException {
    Path dir = root.resolve(".tollgate/templates");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(file), text);
  }

  static String template(String name) {
    return "name: " + name + "\nsteps:\n  - name: a\n    shell: 'true'\n";
  }

  @Test
  void missing_folder_is_an_empty_catalog(@TempDir Path root) {
    TemplateCatalog c = TemplateCatalog.forProject(root);
    assertThat(c.names()).isEmpty();
    assertThatThrownBy(() -> c.get("deploy"))
        .isInstanceOf(TollgateException.class)
        .hasMessage(
            ".tollgate/templates: unknown run template 'deploy': .tollgate/templates has no templates");
  }

  @Test
  void loads_every_template_by_name(@TempDir Path root) throws IOException {
    write(root, "restart-service.yml", template("restart-service"));
    write(root, "deploy.yml", template("deploy"));
    write(root, "README.md", "not a template");
    TemplateCatalog c = TemplateCatalog.forProject(root);
    assertThat(c.names()).containsExactly("deploy", "restart-service");
    assertThat(c.find("deploy")).get().extracting(RunTemplate::name).isEqualTo("deploy");
    assertThat(c.find("nope")).isEmpty();
    assertThat(c.get("restart-service").steps()).hasSize(1);
    assertThat(c.templates())
        .extracting(RunTemplate::name)
        .containsExactly("deploy", "restart-service");
  }

  @Test
  void unknown_name_lists_the_known_ones_and_suggests_the_closest(@TempDir Path root)
      throws IOException {
    write(root, "restart-service.yml", template("restart-service"));
    write(root, "deploy.yml", template("deploy"));
    TemplateCatalog c = TemplateCatalog.forProject(root);
    assertThatThrownBy(() -> c.get("restart-servce"))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT);
              assertThat(e.getMessage())
                  .isEqualTo(
                      ".tollgate/templates: unknown run template 'restart-servce'; did you mean"
                          + " `restart-service`? Known templates: deploy, restart-service.");
            });
    assertThatThrownBy(() -> c.get("backup"))
        .hasMessage(
            ".tollgate/templates: unknown run template 'backup' Known templates: deploy,"
                + " restart-service.");
  }

  @Test
  void problems_in_every_file_are_reported_together(@TempDir Path root) throws IOException {
    write(root, "a.yml", template("b"));
    write(root, "c.yml", "name: c\nsteps:\n  - name: x\n    shell: 'true'\n    tiemout: 5s\n");
    write(root, "d.yaml", template("d"));
    write(root, "ok.yml", template("ok"));
    assertThatThrownBy(() -> TemplateCatalog.forProject(root))
        .isInstanceOf(TollgateException.class)
        .hasMessage(
            ".tollgate/templates/a.yml:1:7: name 'b' must equal the file name 'a'\n"
                + ".tollgate/templates/c.yml:5:5: unknown key 'tiemout' in steps[0]; did you mean"
                + " `timeout`?\n"
                + ".tollgate/templates/d.yaml: template files end in .yml; this one is not read");
  }

  @Test
  void folder_outside_a_project_is_named_as_given(@TempDir Path root) throws IOException {
    Path dir = root.resolve("tpl");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("x.yml"), template("y"));
    assertThatThrownBy(() -> TemplateCatalog.load(dir, "tpl"))
        .hasMessage("tpl/x.yml:1:7: name 'y' must equal the file name 'x'");
  }
}
