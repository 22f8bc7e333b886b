package dev.tollgate.speckit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.report.Report;
import dev.tollgate.core.report.Section;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Findings name files relative to the git repository, so that annotations and SARIF point at real
 * files when a kit lives in a subfolder of the repository.
 */
class RepositoryRelativePathsTest {

  @TempDir Path repo;

  @Test
  void kit_in_a_subfolder_of_a_repository_is_reported_with_the_subfolder_prefix()
      throws IOException {
    Files.createDirectories(repo.resolve(".git"));
    Path project = repo.resolve("services/shop");
    Path feature = project.resolve("specs/001-cart");
    Files.createDirectories(feature);
    Files.writeString(
        feature.resolve("tasks.md"), "# Tasks\n\n- [ ] T001 Add cart in src/Cart.java\n");

    Report report = new SpecKitValidator(SpecKitConfig.defaults()).validate(List.of(project));

    assertThat(report.sections())
        .extracting(Section::path)
        .contains("services/shop/specs/001-cart");
    assertThat(report.findings())
        .extracting(d -> d.location().file())
        .isNotEmpty()
        .allSatisfy(f -> assertThat(f).startsWith("services/shop/"));
    assertThat(report.findings())
        .filteredOn(d -> d.ruleId().equals("SK001"))
        .extracting(Diagnostic::location)
        .allSatisfy(l -> assertThat(l.file()).startsWith("services/shop/specs/001-cart"));
  }

  @Test
  void kit_at_the_repository_root_has_no_prefix() throws IOException {
    Files.createDirectories(repo.resolve(".git"));
    Path feature = repo.resolve("specs/001-cart");
    Files.createDirectories(feature);
    Files.writeString(
        feature.resolve("tasks.md"), "# Tasks\n\n- [ ] T001 Add cart in src/Cart.java\n");

    Report report = new SpecKitValidator(SpecKitConfig.defaults()).validate(List.of(repo));

    assertThat(report.findings())
        .extracting(d -> d.location().file())
        .isNotEmpty()
        .noneMatch(f -> f.startsWith("/"))
        .anyMatch(f -> f.startsWith("specs/001-cart/"));
  }
}
