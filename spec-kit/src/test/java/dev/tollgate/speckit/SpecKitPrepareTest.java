package dev.tollgate.speckit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.tollgate.core.report.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SpecKitValidator#prepare} sets the validator up without changing what it reports. */
class SpecKitPrepareTest {
  @TempDir Path dir;

  @Test
  void prepare_runs_its_built_in_spec_through_the_parser_and_rules_without_a_problem() {
    assertThatCode(SpecKitValidator::prepare).doesNotThrowAnyException();
  }

  @Test
  void a_validation_after_prepare_reports_what_it_reports_without_it() throws Exception {
    Path feature = dir.resolve("specs/001-demo");
    Files.createDirectories(feature);
    Files.writeString(feature.resolve("spec.md"), "# Feature Specification: Demo\n\nText.\n");
    SpecKitValidator validator = new SpecKitValidator(SpecKitConfig.defaults());
    Report before = validator.validate(List.of(dir));

    SpecKitValidator.prepare();

    assertThat(validator.validate(List.of(dir))).isEqualTo(before);
  }
}
