package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged {@code tollgate.jar} as users do ({@code java -jar}), so the shaded jar's
 * manifest, service files and logging set-up are checked along with the exit-code contract.
 */
class RunnerJarIT {
  private static final Path JAR = Path.of("target/tollgate.jar").toAbsolutePath();
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  private record Result(int exit, String out, String err) {}

  private static Result run(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(JAR.toString());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("tollgate-out", ".txt");
    Path err = Files.createTempFile("tollgate-err", ".txt");
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("tollgate did not exit within 2 minutes");
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void versionPrintsTheProjectVersion() throws Exception {
    Result r = run(REPO, "--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("tollgate ").doesNotContain("development build");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void missingPathExitsTwoWithOneMessageAndNoStackTrace() throws Exception {
    Result r = run(REPO, "spec-kit", "validate", "specs/999-nope");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "PATH 'specs/999-nope' does not exist"
                + System.lineSeparator()
                + "Try 'tollgate spec-kit validate --help' for more information."
                + System.lineSeparator());
  }

  @Test
  void invalidConfigExitsTwoWithFileLineColumnAndNothingElseOnStderr(@TempDir Path dir)
      throws Exception {
    Files.createDirectories(dir.resolve(".tollgate"));
    Files.writeString(dir.resolve(".tollgate/spec-kit.yml"), "rules:\n  SK009: loud\n");
    Result r = run(dir, "spec-kit", "validate");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .startsWith(
            ".tollgate/spec-kit.yml:2:10: rules.SK009 must be one of error, warning, info, off"
                + " but was 'loud'")
        .doesNotContain("SLF4J")
        .doesNotContain("Exception");
  }

  @Test
  void bundledExampleFailsWithTheDocumentedFindings() throws Exception {
    Result r = run(REPO, "spec-kit", "validate", "examples/demo", "--format", "json");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .contains("\"rule\": \"SK019\"")
        .contains("examples/demo/specs/002-refund-api/tasks.md");
  }

  @Test
  void cleanFeatureOfTheExamplePasses() throws Exception {
    Result r = run(REPO, "spec-kit", "validate", "examples/demo/specs/001-checkout-flow");
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
  }
}
