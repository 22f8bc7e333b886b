package dev.tollgate.speckit.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.report.Report;
import dev.tollgate.speckit.SpecKitConfig;
import dev.tollgate.speckit.SpecKitValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Pins the bundled example: {@code examples/demo} reports exactly the defects its README documents,
 * at the documented lines, and the clean kits report nothing.
 */
class DemoExampleTest {
  private static final Path DEMO = RepoPaths.root().resolve("examples/demo");
  private static final Pattern ROW =
      Pattern.compile(
          "^\\| \\[(SK\\d{3})\\]\\([^)]*\\) \\| (error|warning|info) \\| `([^`:]+):(\\d+)` \\|");

  @Test
  void demo_reports_exactly_the_defects_its_readme_documents() throws IOException {
    // Reported paths are relative to the git repository, so inside a clone they start with
    // examples/demo/; in an unpacked source archive without .git they start at the demo itself.
    String prefix = Files.exists(RepoPaths.root().resolve(".git")) ? "examples/demo/" : "";
    Set<String> documented = new TreeSet<>();
    for (String line : Files.readAllLines(DEMO.resolve("README.md"), StandardCharsets.UTF_8)) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        documented.add(
            m.group(1)
                + " "
                + m.group(2)
                + " "
                + prefix
                + "specs/002-refund-api/"
                + m.group(3)
                + ":"
                + m.group(4));
      }
    }
    assertThat(documented).as("rows parsed from the README table").hasSizeGreaterThanOrEqualTo(8);

    Report report = new SpecKitValidator(SpecKitConfig.defaults()).validate(List.of(DEMO));

    Set<String> found = new TreeSet<>();
    for (Diagnostic d : report.findings()) {
      found.add(
          d.ruleId()
              + " "
              + d.severity().label()
              + " "
              + d.location().file()
              + ":"
              + d.location().line());
    }
    assertThat(found).isEqualTo(documented);
  }

  @Test
  void clean_feature_and_classic_kit_have_no_findings() {
    SpecKitValidator validator = new SpecKitValidator(SpecKitConfig.defaults());
    assertThat(validator.validate(List.of(DEMO.resolve("specs/001-checkout-flow"))).findings())
        .isEmpty();
    assertThat(validator.validate(List.of(DEMO.resolve("spec/billing-export"))).findings())
        .isEmpty();
  }
}
