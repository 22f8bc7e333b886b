package dev.tollgate.cli.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.actions.github.Sleeper;
import dev.tollgate.actions.report.RenderOptions;
import dev.tollgate.actions.report.ReportFormat;
import dev.tollgate.actions.report.VerdictRenderer;
import dev.tollgate.cli.TollgateCommand;
import dev.tollgate.cli.common.Seams;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.core.repo.RepositoryView;
import dev.tollgate.policy.MergeGateRequest;
import dev.tollgate.policy.MergeGateResult;
import dev.tollgate.policy.MergeGateService;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command: {@code tollgate gate} on the bundled demo pull request, whose verdict
 * is documented in {@code examples/demo/README.md}.
 */
class DemoPullRequestTest {
  private static final Path DEMO =
      Path.of("..").toAbsolutePath().normalize().resolve("examples/demo");
  private static final Path BUNDLE = DEMO.resolve("pr/card-validation.bundle");
  private static final String HEAD = "sf/SF-102-card-validation";

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = TollgateCommand.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void demo_pull_request_is_blocked_by_touched_directories_and_secrets_only() throws IOException {
    Run r = run("gate", "--repo", BUNDLE.toString(), "--head", HEAD, "--format", "json");
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(r.out());
    Map<String, String> statuses = new TreeMap<>();
    json.get("gates").forEach(g -> statuses.put(g.get("gate").asText(), g.get("status").asText()));
    assertThat(statuses)
        .containsEntry("touched-directories", "blocked")
        .containsEntry("secrets", "blocked")
        .containsEntry("work-item-reference", "pass")
        .containsEntry("lane-eligibility", "pass")
        .containsEntry("pr-size", "pass")
        .containsEntry("spec-kit", "pass")
        .hasSize(8);
  }

  @Test
  void the_secret_in_the_demo_is_never_echoed_in_any_format() {
    String key = "AKIA" + "IOSFODNN7EXAMPLE";
    for (String format : new String[] {"text", "json", "markdown", "sarif", "github"}) {
      Run r = run("gate", "--repo", BUNDLE.toString(), "--head", HEAD, "--format", format);
      assertThat(r.out() + r.err()).as(format).doesNotContain(key).doesNotContain("IOSFODNN7");
    }
  }

  @Test
  void an_embedder_gets_the_verdict_the_cli_prints() {
    // The same request through the library, rendered by the same renderers: byte for byte equal.
    MergeGateResult result =
        MergeGateService.builder()
            .clock(Clock.systemUTC())
            .build()
            .evaluate(MergeGateRequest.builder().repository(BUNDLE).head(HEAD).build());
    RenderOptions options = RenderOptions.builder().toolVersion(VersionProvider.version()).build();
    // No GITHUB_BASE_REF from the machine running the test: both take main as the base.
    Seams seams = new Seams(Clock.systemUTC(), Map.of(), Sleeper.system());
    for (ReportFormat format : ReportFormat.values()) {
      StringWriter out = new StringWriter();
      Run r =
          new Run(
              TollgateCommand.execute(
                  seams,
                  new PrintWriter(out),
                  new PrintWriter(new StringWriter()),
                  "gate",
                  "--repo",
                  BUNDLE.toString(),
                  "--head",
                  HEAD,
                  "--format",
                  format.label()),
              out.toString(),
              "");
      assertThat(r.exit()).as(format.label()).isEqualTo(result.passed() ? 0 : 1);
      assertThat(r.out())
          .as(format.label())
          .isEqualTo(VerdictRenderer.of(format).render(result, options));
    }
  }

  @Test
  void bundled_main_branch_is_the_demo_as_committed(@TempDir Path tmp) throws IOException {
    // If this fails, the demo changed without the bundle: run examples/demo/pr/build-bundle.sh.
    Path clone = tmp.resolve("clone");
    RepositoryView.cloneBundle(BUNDLE, "main", clone);
    assertThat(files(clone, null)).isEqualTo(files(DEMO, DEMO.resolve("pr")));
  }

  /**
   * Relative path to content of every file under {@code root}, leaving out .git and {@code skip}.
   */
  private static Map<String, String> files(Path root, Path skip) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path rel = root.relativize(p);
        if (!Files.isRegularFile(p)
            || rel.startsWith(".git")
            || (skip != null && p.startsWith(skip))) {
          continue;
        }
        out.put(rel.toString().replace('\\', '/'), Files.readString(p));
      }
    }
    return out;
  }
}
