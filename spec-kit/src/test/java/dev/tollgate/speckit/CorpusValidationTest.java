package dev.tollgate.speckit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.report.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Validates the public Spec Kits in {@code ../shared/corpus/spec-kit/} (see its SOURCES.md) and
 * pins the defects really present there. Skipped with a message when the corpus is absent.
 */
class CorpusValidationTest {
  private static Path corpus;

  @BeforeAll
  static void findCorpus() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    Path c =
        p == null
            ? Path.of("../shared/corpus/spec-kit")
            : p.resolve("../shared/corpus/spec-kit").normalize();
    assumeTrue(
        Files.isDirectory(c), "corpus absent: " + c + " (see docs on the real-world corpus)");
    corpus = c;
  }

  private static Report validate(Path target) {
    return new SpecKitValidator(SpecKitConfig.defaults()).validate(List.of(target));
  }

  private static Set<String> rules(Report r) {
    return r.findings().stream().map(Diagnostic::ruleId).collect(Collectors.toSet());
  }

  @Test
  void validates_every_kit_with_locations_inside_files() throws IOException {
    List<Path> kits;
    try (Stream<Path> s = Files.list(corpus)) {
      kits = s.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(kits).isNotEmpty();
    for (Path kit : kits) {
      Report r = validate(kit);
      assertThat(r.files()).as(kit.toString()).isPositive();
      for (Diagnostic d : r.findings()) {
        assertInside(kit, d.location());
      }
    }
  }

  private static void assertInside(Path root, Location loc) throws IOException {
    Path file = root.resolve(loc.file());
    assertThat(file).as(loc.toString()).exists();
    if (loc.line() == 0) {
      return;
    }
    List<String> lines = SourceLines.of(Files.readString(file, StandardCharsets.UTF_8));
    assertThat(loc.line()).as(loc.toString()).isBetween(1, lines.size());
    assertThat(loc.column())
        .as(loc.toString())
        .isBetween(0, lines.get(loc.line() - 1).length() + 1);
  }

  @Test
  void reports_duplicate_prefix_and_missing_stages_in_elsa() {
    Report r = validate(corpus.resolve("elsa-workflows__elsa-core"));
    assertThat(KitFixture.findings(r, "SK002"))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.location())
                  .isEqualTo(Location.ofFile("specs/006-state-machine-activity"));
              assertThat(d.message()).contains("specs/006-diagnostics-console-logs");
            });
    // 011-persistence-vnext has tasks.md but no plan.md.
    assertThat(KitFixture.findings(r, "SK001"))
        .extracting(d -> d.location().file())
        .containsExactly("specs/011-persistence-vnext/tasks.md");
    // 009-operational-dashboard holds only prd.md: a valid classic-style stage, with its
    // Acceptance Criteria section, so no SK001 or SK006 for it.
    assertThat(r.findings())
        .noneMatch(
            d -> d.location().file().startsWith("specs/009-") && d.ruleId().matches("SK00[16]"));
    // The absolute path leaked in 002's tasks.md (inside a code span).
    assertThat(KitFixture.findings(r, "SK029"))
        .anySatisfy(
            d ->
                assertThat(d.location())
                    .isEqualTo(Location.of("specs/002-graceful-shutdown/tasks.md", 15, 38)));
    assertThat(r.sections())
        .extracting(s -> s.path())
        .contains("specs/006-diagnostics-console-logs", "specs/006-state-machine-activity");
  }

  @Test
  void reports_feature_folders_without_spec_in_modular() {
    Report r = validate(corpus.resolve("GoCodeAlone__modular"));
    // 045 and 048 hold only design-brief.md; the numbering jump itself is no defect.
    assertThat(KitFixture.findings(r, "SK001"))
        .extracting(d -> d.location().file())
        .containsExactly("specs/045-dynamic-reload", "specs/048-health-aggregation");
    // The old layout's constitution at memory/constitution.md counts.
    assertThat(rules(r)).doesNotContain("SK004", "SK005");
    // The template guidance left in spec.md ("Use [NEEDS CLARIFICATION: specific question] for
    // ...") is a template leftover, not an open question: SK007 names it, SK008 stays silent.
    assertThat(KitFixture.findings(r, "SK008")).isEmpty();
    assertThat(KitFixture.findings(r, "SK007")).extracting(d -> d.location().line()).contains(156);
  }

  @Test
  void finds_variant_layout_under_specify_specs() {
    Report r = validate(corpus.resolve("GaZmagik__claude-memory-plugin"));
    assertThat(r.sections())
        .extracting(s -> s.path())
        .containsExactly(
            "",
            ".specify/specs/feature/001-memory-plugin",
            ".specify/specs/feature/002-v1.1.0-enhancements");
    // YAML front matter in tasks.md is not Markdown: no heading or empty section comes from it.
    assertThat(r.findings())
        .noneMatch(
            d ->
                d.ruleId().equals("SK016")
                    && d.location().file().endsWith("tasks.md")
                    && d.location().line() < 10);
    // Real defects: leaked home-folder paths, a plan without Project Structure, FR-024 missing.
    assertThat(rules(r)).contains("SK029", "SK017", "SK013");
    assertThat(KitFixture.findings(r, "SK028"))
        .anySatisfy(
            d ->
                assertThat(d.location())
                    .isEqualTo(
                        Location.of(
                            ".specify/specs/feature/001-memory-plugin/checklists/requirements.md",
                            5,
                            14)));
  }

  @Test
  void clean_kit_has_no_errors() {
    Report r = validate(corpus.resolve("KaotoIO__forage"));
    assertThat(
            r.findings().stream()
                .filter(
                    d ->
                        d.severity() == dev.tollgate.core.Severity.ERROR
                            && !d.ruleId().matches("SK(018|019|02[0-6]|031|033)")))
        .isEmpty();
  }

  @Test
  void templates_yield_only_template_leftover_rules() {
    Path kit = corpus.resolve("github__spec-kit-templates");
    // The filled-in constitution of the spec-kit project itself is clean.
    assertThat(validate(kit).findings()).isEmpty();
    Report templates = validate(kit.resolve("templates"));
    // Templates are, by design, full of leftovers: placeholders (SK007), constitution tokens
    // (SK005), example clarification markers (SK008), unchecked example checklist items (SK027),
    // headings whose content is only an instruction comment (SK016) and the word placeholders
    // SK009 flags. Task rules belong to tasks.md's own engineer and are excluded here. Nothing
    // else (no SK006/SK010/SK011/SK013/SK014/SK017/SK028/SK029/SK032) may fire on the wording.
    Set<String> allowed = Set.of("SK005", "SK007", "SK008", "SK009", "SK016", "SK027");
    Set<String> fired = rules(templates);
    fired.removeIf(id -> id.matches("SK(018|019|02[0-6]|031|033)"));
    assertThat(fired).isSubsetOf(allowed).contains("SK005", "SK007", "SK008");
  }

  /** Splits text into lines the way SourceFile does (\n, \r\n or \r). */
  static final class SourceLines {
    static List<String> of(String text) {
      if (text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
      List<String> lines = new java.util.ArrayList<>(List.of(text.split("\r\n|\r|\n", -1)));
      if (lines.size() > 1 && lines.get(lines.size() - 1).isEmpty()) {
        lines.remove(lines.size() - 1);
      }
      return lines;
    }
  }
}
