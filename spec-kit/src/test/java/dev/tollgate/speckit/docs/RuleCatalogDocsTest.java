package dev.tollgate.speckit.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Severity;
import dev.tollgate.core.report.RuleDescriptor;
import dev.tollgate.speckit.SpecKitRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Keeps {@code docs/rules/} and the rule catalog in step: every rule has a complete page. */
class RuleCatalogDocsTest {
  private static final Path RULES = RepoPaths.root().resolve("docs/rules");

  @TestFactory
  Stream<DynamicTest> everyRuleHasAPageWithTitleSeverityAndAllSections() {
    return SpecKitRules.all().stream()
        .map(rule -> DynamicTest.dynamicTest(rule.id(), () -> checkPage(rule)));
  }

  @Test
  void the_index_links_every_rule_and_nothing_else() throws IOException {
    String index = Files.readString(RULES.resolve("README.md"), StandardCharsets.UTF_8);
    for (RuleDescriptor rule : SpecKitRules.all()) {
      assertThat(index).contains("[" + rule.id() + "](" + rule.id() + ".md)");
    }
    try (Stream<Path> pages = Files.list(RULES)) {
      List<String> orphans =
          pages
              .map(p -> p.getFileName().toString())
              .filter(n -> n.matches("SK\\d{3}\\.md"))
              .map(n -> n.substring(0, 5))
              .filter(id -> SpecKitRules.byId(id).isEmpty())
              .toList();
      assertThat(orphans).as("pages for rules not in the catalog").isEmpty();
    }
  }

  @Test
  void every_docs_path_points_into_docs_rules() {
    for (RuleDescriptor rule : SpecKitRules.all()) {
      assertThat(RepoPaths.root().resolve(rule.docsPath())).isRegularFile();
    }
  }

  private static void checkPage(RuleDescriptor rule) throws IOException {
    Path page = RULES.resolve(rule.id() + ".md");
    assertThat(page).as("page for " + rule.id()).isRegularFile();
    List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
    assertThat(lines.get(0)).isEqualTo("# " + rule.id() + ": " + rule.title());
    String severityLine =
        lines.stream().filter(l -> l.startsWith("Severity: ")).findFirst().orElse("");
    assertThat(severityLine)
        .as("severity line of " + rule.id())
        .startsWith("Severity: " + rule.defaultSeverity().label());
    if (rule.defaultSeverity() == Severity.ERROR && severityLine.contains("warning")) {
      assertThat(severityLine).contains("or warning");
    }
    int last = -1;
    for (String section : List.of("## Why", "## Bad", "## Good", "## Fix", "## Configure")) {
      int at = lines.indexOf(section);
      assertThat(at).as(rule.id() + " has section " + section + " in order").isGreaterThan(last);
      last = at;
    }
  }
}
