package dev.tollgate.speckit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.report.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * The whole validator never throws on arbitrary file contents, and its locations are inside files.
 */
class SpecKitValidatorProperties {
  private static final String[] NAMES = {
    "spec.md", "plan.md", "tasks.md", "prd.md", "research.md", "checklists/requirements.md"
  };

  @Property(tries = 60)
  void validator_never_throws_on_arbitrary_bytes(
      @ForAll @Size(max = 6) List<@Size(max = 400) byte[]> files, @ForAll String text)
      throws IOException {
    Path root = Files.createTempDirectory("tollgate-prop");
    try {
      Files.createDirectories(root.resolve("specs/001-x/checklists"));
      Files.write(
          createParents(root.resolve(".specify/memory/constitution.md")),
          text.getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < files.size(); i++) {
        Files.write(root.resolve("specs/001-x/" + NAMES[i]), files.get(i));
      }
      Report r = new SpecKitValidator(SpecKitConfig.defaults()).validate(List.of(root));
      for (Diagnostic d : r.findings()) {
        assertInside(root, d.location());
      }
      Report again = new SpecKitValidator(SpecKitConfig.defaults()).validate(List.of(root));
      assertThat(again.findings()).isEqualTo(r.findings());
    } finally {
      try (Stream<Path> s = Files.walk(root)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Path createParents(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    return file;
  }

  private static void assertInside(Path root, Location loc) throws IOException {
    Path file = root.resolve(loc.file());
    assertThat(file).exists();
    if (loc.line() == 0 || Files.isDirectory(file)) {
      return;
    }
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.UTF_8);
    List<String> lines = CorpusValidationTest.SourceLines.of(text);
    assertThat(loc.line()).isBetween(1, lines.size());
    assertThat(loc.column()).isBetween(1, lines.get(loc.line() - 1).length() + 1);
  }
}
