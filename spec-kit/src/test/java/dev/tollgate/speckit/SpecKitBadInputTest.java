package dev.tollgate.speckit;

import static dev.tollgate.speckit.KitFixture.PLAN;
import static dev.tollgate.speckit.KitFixture.SPEC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.report.Report;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that are not clean Markdown: each yields a finding or a clear error, never a crash. */
class SpecKitBadInputTest {
  @TempDir Path dir;

  private static final String F = "specs/001-login/";

  private KitFixture kit() {
    return KitFixture.github(dir).feature("001-login");
  }

  @Test
  void rejects_missing_target_as_bad_input() {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> kit().validate(missing))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT);
              assertThat(e.getMessage()).isEqualTo(missing + ": no such file or folder");
            });
  }

  @Test
  void rejects_empty_target_list() {
    assertThatThrownBy(() -> new SpecKitValidator(SpecKitConfig.defaults()).validate(List.of()))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT));
  }

  @Test
  void reports_binary_file_instead_of_parsing_it() {
    byte[] bytes = {'#', ' ', 'x', 0, 1, 2, (byte) 0xFF};
    KitFixture k = kit().writeBytes(F + "research.md", bytes);
    List<Diagnostic> found = k.findings("SK034");
    assertThat(found)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.location()).isEqualTo(Location.ofFile(F + "research.md"));
              assertThat(d.message()).contains("NUL byte at offset 3");
            });
  }

  @Test
  void reports_invalid_utf8_at_the_first_bad_byte() {
    byte[] head = "# Research\n\nCaf".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + 4];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = (byte) 0xE9; // Latin-1 é: not UTF-8
    bytes[head.length + 1] = ' ';
    bytes[head.length + 2] = 'x';
    bytes[head.length + 3] = '\n';
    KitFixture k = kit().writeBytes(F + "research.md", bytes);
    assertThat(k.findings("SK034"))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.severity()).isEqualTo(Severity.ERROR);
              assertThat(d.location()).isEqualTo(Location.of(F + "research.md", 3, 4));
              assertThat(d.message())
                  .isEqualTo(
                      "file is not valid UTF-8: byte 0xE9 at byte offset 15 cannot be decoded");
            });
  }

  @Test
  void strips_byte_order_mark_so_columns_start_after_it() {
    byte[] text = "TODO first\n".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[text.length + 3];
    bytes[0] = (byte) 0xEF;
    bytes[1] = (byte) 0xBB;
    bytes[2] = (byte) 0xBF;
    System.arraycopy(text, 0, bytes, 3, text.length);
    KitFixture k = kit().writeBytes(F + "research.md", bytes);
    assertThat(k.findings("SK009"))
        .singleElement()
        .satisfies(d -> assertThat(d.location()).isEqualTo(Location.of(F + "research.md", 1, 1)));
    assertThat(k.findings("SK034")).isEmpty();
  }

  @Test
  void locates_findings_in_crlf_files() {
    String crlf = SPEC.replace("System MUST lock", "System should lock").replace("\n", "\r\n");
    KitFixture k =
        kit()
            .write(F + "spec.md", crlf)
            .write(F + "plan.md", PLAN.replace("\n", "\r\n") + "\r\nTBD\r\n");
    assertThat(k.findings("SK014"))
        .singleElement()
        .satisfies(d -> assertThat(d.location()).isEqualTo(Location.of(F + "spec.md", 21, 5)));
    assertThat(k.findings("SK009"))
        .singleElement()
        .satisfies(d -> assertThat(d.location()).isEqualTo(Location.of(F + "plan.md", 19, 1)));
    assertThat(k.findings("SK006")).isEmpty();
  }

  @Test
  void validates_twenty_megabyte_file() throws IOException {
    KitFixture k = kit();
    Path big = dir.resolve(F + "research.md");
    String line = "- A line of research notes about sign-in flows, rate limits and lockouts.\n";
    try (Writer w = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
      w.write("# Research\n\n");
      for (long written = 0; written < 20L * 1024 * 1024; written += line.length()) {
        w.write(line);
      }
      w.write("\nTODO at the end\n");
    }
    Report r = k.validate();
    List<Diagnostic> todo = KitFixture.findings(r, "SK009");
    assertThat(todo)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.location().file()).isEqualTo(F + "research.md");
              assertThat(d.location().line()).isGreaterThan(280_000);
            });
  }

  @Test
  void reports_missing_constitution_for_empty_folder() {
    Report r = new SpecKitValidator(SpecKitConfig.defaults()).validate(List.of(dir));
    assertThat(r.findings()).extracting(Diagnostic::ruleId).containsExactly("SK004");
    assertThat(r.sections()).extracting(s -> s.name()).containsExactly("project");
    assertThat(r.files()).isZero();
  }

  @Test
  void reports_symlink_loop_without_following_it() throws IOException {
    KitFixture k = kit();
    Path link = dir.resolve(F + "loop");
    try {
      Files.createSymbolicLink(link, dir.resolve("specs"));
    } catch (UnsupportedOperationException | IOException e) {
      assumeTrue(false, "symbolic links unsupported here: " + e);
    }
    List<Diagnostic> found = k.findings("SK028");
    assertThat(found)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.location()).isEqualTo(Location.ofFile(F + "loop"));
              assertThat(d.message())
                  .isEqualTo(
                      "symbolic link specs/001-login/loop leads back to specs, a folder already visited; it was not followed");
            });
  }

  @Test
  void reports_dangling_symlink() throws IOException {
    KitFixture k = kit();
    try {
      Files.createSymbolicLink(dir.resolve(F + "gone.md"), dir.resolve("nowhere.md"));
    } catch (UnsupportedOperationException | IOException e) {
      assumeTrue(false, "symbolic links unsupported here: " + e);
    }
    assertThat(k.findings("SK028"))
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.message())
                    .isEqualTo("symbolic link specs/001-login/gone.md points to a missing target"));
  }

  @Test
  void rejects_unreadable_file_as_bad_input() throws IOException {
    KitFixture k = kit();
    Path spec = dir.resolve(F + "spec.md");
    try {
      Files.setPosixFilePermissions(spec, PosixFilePermissions.fromString("---------"));
    } catch (UnsupportedOperationException e) {
      assumeTrue(false, "no POSIX permissions here");
    }
    assumeTrue(!Files.isReadable(spec), "running with privileges that read any file");
    assertThatThrownBy(k::validate)
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT);
              assertThat(e.getMessage()).startsWith(F + "spec.md: cannot read file");
            });
  }

  @Test
  void validates_one_feature_folder_with_paths_relative_to_the_root() {
    KitFixture k = kit().feature("002-signup").write("specs/002-signup/plan.md", "# Plan\n");
    Report r = k.validate(dir.resolve("specs/001-login"));
    assertThat(r.sections()).extracting(s -> s.path()).containsExactly("", "specs/001-login");
    Report specs = k.validate(dir.resolve("specs"));
    assertThat(specs.sections())
        .extracting(s -> s.path())
        .containsExactly("", "specs/001-login", "specs/002-signup");
    assertThat(KitFixture.findings(specs, "SK017"))
        .extracting(d -> d.location().file())
        .containsOnly("specs/002-signup/plan.md");
  }

  @Test
  void applies_configured_severities_disabled_rules_and_ignores() {
    KitFixture k = kit().feature("login").write("specs/001-login/research.md", "TODO\n\nTBD\n");
    SpecKitConfig config =
        new SpecKitConfig(
            java.util.Map.of("SK009", Severity.ERROR),
            java.util.Set.of("SK003"),
            List.of(new SpecKitConfig.Ignore("specs/login/**", java.util.Set.of())),
            false);
    Report r = new SpecKitValidator(config).validate(List.of(dir));
    assertThat(r.findings())
        .extracting(Diagnostic::ruleId, Diagnostic::severity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("SK009", Severity.ERROR),
            org.assertj.core.groups.Tuple.tuple("SK009", Severity.ERROR));
    assertThat(r.findings()).allSatisfy(d -> assertThat(d.docsUrl()).isEmpty());
  }
}
