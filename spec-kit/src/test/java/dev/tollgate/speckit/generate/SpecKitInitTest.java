package dev.tollgate.speckit.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.report.Report;
import dev.tollgate.speckit.SpecKitConfig;
import dev.tollgate.speckit.SpecKitInit;
import dev.tollgate.speckit.SpecKitValidator;
import dev.tollgate.speckit.internal.generate.Text;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecKitInitTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-14T12:00:00Z"), ZoneOffset.UTC);
  final SpecKitInit init = new SpecKitInit(CLOCK);
  @TempDir Path root;

  @Test
  void creates_next_free_numbered_feature_with_slugified_name() throws Exception {
    Files.createDirectories(root.resolve("specs/001-first"));
    Files.createDirectories(root.resolve("specs/007-other"));
    SpecKitInit.Result r = init.create(root, SpecKitInit.Request.of("Łogin & Sign-up!"));
    assertThat(r.folder()).isEqualTo(root.resolve("specs/008-login-sign-up"));
    assertThat(r.files())
        .containsExactly(
            "specs/008-login-sign-up/spec.md",
            "specs/008-login-sign-up/plan.md",
            "specs/008-login-sign-up/tasks.md");
    assertThat(Files.readString(r.folder().resolve("spec.md")))
        .startsWith("# Feature Specification: Łogin & Sign-up!\n")
        .contains("**Created**: 2026-03-14")
        .contains("(Priority: P1)")
        .contains("**Given**")
        .contains("- **FR-001**: System MUST")
        .contains("- **SC-001**:");
  }

  @Test
  void classic_layout_creates_the_four_documents() throws Exception {
    SpecKitInit.Result r =
        init.create(
            root,
            new SpecKitInit.Request(
                "billing", SpecKitInit.Layout.CLASSIC, "Billing", "Invoices.", List.of("Send")));
    assertThat(r.files())
        .containsExactly(
            "spec/billing/constitution.md",
            "spec/billing/prd.md",
            "spec/billing/plan.md",
            "spec/billing/tasks.md");
    assertThat(Files.readString(r.folder().resolve("constitution.md")))
        .contains("**Version**: 1.0.0 | **Ratified**: 2026-03-14 | **Last Amended**: 2026-03-14");
  }

  @Test
  void refuses_to_overwrite_and_leaves_existing_folder_untouched() throws Exception {
    Path existing = root.resolve("spec/billing");
    Files.createDirectories(existing);
    Files.writeString(existing.resolve("prd.md"), "mine");
    SpecKitInit.Request request =
        new SpecKitInit.Request("billing", SpecKitInit.Layout.CLASSIC, "", "", List.of());
    assertThatThrownBy(() -> init.create(root, request))
        .isInstanceOf(TollgateException.class)
        .hasMessage(
            "spec/billing already exists; refusing to overwrite it (choose another name or"
                + " remove it)");
    assertThat(Files.readString(existing.resolve("prd.md"))).isEqualTo("mine");
    try (Stream<Path> files = Files.list(root.resolve("spec"))) {
      assertThat(files).containsExactly(existing);
    }
  }

  @Test
  void failed_write_leaves_nothing_behind() throws Exception {
    Path file = root.resolve("specs");
    Files.writeString(file, "a file where the specs folder should be");
    assertThatThrownBy(() -> init.create(root, SpecKitInit.Request.of("x")))
        .isInstanceOf(TollgateException.class)
        .hasMessage("specs is a file, not a folder; cannot create specs/001-x in it");
    assertThat(Files.readString(file)).startsWith("a file");
    try (Stream<Path> files = Files.list(root)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void name_without_letters_is_rejected() {
    assertThatThrownBy(() -> SpecKitInit.Request.of("?!"))
        .isInstanceOf(TollgateException.class)
        .hasMessage("NAME must contain at least one ASCII letter or digit but was '?!'");
  }

  @Test
  void user_text_cannot_inject_structure_or_template_tokens() {
    assertThat(Text.clean("[FEATURE NAME] $ARGUMENTS\nTXXX <!-- x --> depends on T012"))
        .isEqualTo("(FEATURE NAME) $ ARGUMENTS T-XXX ‹!-- x --› depends on T 012");
    assertThat(Text.clean("ACTION REQUIRED: [NEEDS CLARIFICATION: x] ✅ COMPLETE FR-001"))
        .isEqualTo("action needed: (needs clarifying: x) complete FR 001");
    assertThat(Text.clean("# Heading")).isEqualTo("no. Heading");
    assertThat(Text.clean("- [ ] T001 task")).isEqualTo("( ) T 001 task");
    assertThat(Text.slug("Ünïcödé  Title -- 2")).isEqualTo("unicode-title-2");
  }

  @Test
  void generated_feature_validates_without_findings() {
    init.create(
        root,
        new SpecKitInit.Request(
            "login",
            SpecKitInit.Layout.GITHUB,
            "Login",
            "Users sign in.",
            List.of("Accept email and password", "Lock after five failures")));
    Report report = new SpecKitValidator(SpecKitConfig.defaults()).validate(List.of(root));
    assertThat(
            report.findings().stream()
                .filter(d -> !d.ruleId().equals("SK004"))
                .map(Object::toString))
        .isEmpty();
  }

  @Test
  void generated_classic_kit_validates_without_findings() {
    init.create(
        root,
        new SpecKitInit.Request(
            "billing", SpecKitInit.Layout.CLASSIC, "", "", List.of("Send invoices")));
    Report report = new SpecKitValidator(SpecKitConfig.defaults()).validate(List.of(root));
    assertThat(report.findings().stream().map(Object::toString)).isEmpty();
    assertThat(report.summary().errors()).isZero();
    assertThat(report.findings().stream().filter(d -> d.severity() == Severity.ERROR)).isEmpty();
  }
}
