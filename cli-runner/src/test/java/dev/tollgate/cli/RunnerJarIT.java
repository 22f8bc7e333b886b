package dev.tollgate.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.cli.bench.GithubStage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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
    return run(dir, java.util.Map.of(), args);
  }

  private static Result run(Path dir, java.util.Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(JAR.toString());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("tollgate-out", ".txt");
    Path err = Files.createTempFile("tollgate-err", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
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
  void version_prints_the_project_version() throws Exception {
    Result r = run(REPO, "--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("tollgate ").doesNotContain("development build");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void missing_path_exits_two_with_one_message_and_no_stack_trace() throws Exception {
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
  void invalid_config_exits_two_with_file_line_column_and_nothing_else_on_stderr(@TempDir Path dir)
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
  void bundled_example_fails_with_the_documented_findings() throws Exception {
    Result r = run(REPO, "spec-kit", "validate", "examples/demo", "--format", "json");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .contains("\"rule\": \"SK019\"")
        .contains("examples/demo/specs/002-refund-api/tasks.md");
  }

  @Test
  void text_paths_open_from_the_working_folder_with_or_without_git(@TempDir Path dir)
      throws Exception {
    String finding = "specs/002-refund-api/tasks.md:50:7: error SK019 duplicate task id T014";
    Result inRepository = run(REPO.resolve("examples"), "spec-kit", "validate", "demo");
    assertThat(inRepository.out()).contains("\ndemo/" + finding).doesNotContain("examples/demo");

    Path copy = dir.resolve("demo");
    try (var files = Files.walk(REPO.resolve("examples/demo"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path to = copy.resolve(REPO.resolve("examples/demo").relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else if (!f.toString().contains("postgres")) {
          Files.copy(f, to);
        }
      }
    }
    assertThat(run(dir, "spec-kit", "validate", "demo").out()).contains("\ndemo/" + finding);
    assertThat(run(copy.resolve("specs"), "spec-kit", "validate", "002-refund-api").out())
        .contains("\n002-refund-api/tasks.md:50:7: error SK019");
    Result json = run(dir, "spec-kit", "validate", "demo", "--format", "json");
    assertThat(json.out()).contains("\"file\": \"specs/002-refund-api/tasks.md\"");
  }

  @Test
  void clean_feature_of_the_example_passes() throws Exception {
    Result r = run(REPO, "spec-kit", "validate", "examples/demo/specs/001-checkout-flow");
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
  }

  @RegisterExtension
  static WireMockExtension github =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @Test
  void the_shaded_jar_talks_to_the_github_api(@TempDir Path dir) throws Exception {
    String repo =
        "{\"id\": 1, \"name\": \"shop\", \"full_name\": \"octo-org/shop\","
            + " \"owner\": {\"login\": \"octo-org\", \"id\": 1}}";
    String pull =
        "{\"number\": 7, \"title\": \"t\", \"state\": \"open\", \"labels\": [],"
            + " \"head\": {\"ref\": \"x\", \"sha\": \""
            + "a".repeat(40)
            + "\"}, \"base\": {\"ref\": \"main\", \"sha\": \""
            + "b".repeat(40)
            + "\"}}";
    github.stubFor(get(urlPathEqualTo("/repos/octo-org/shop")).willReturn(okJson(repo)));
    github.stubFor(get(urlPathEqualTo("/repos/octo-org/shop/pulls/7")).willReturn(okJson(pull)));
    github.stubFor(
        get(urlPathEqualTo("/user"))
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withBody("{\"message\": \"Resource not accessible by integration\"}")));
    github.stubFor(
        get(urlPathEqualTo("/repos/octo-org/shop/issues/7/comments")).willReturn(okJson("[]")));
    github.stubFor(
        post(urlPathEqualTo("/repos/octo-org/shop/issues/7/comments"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"id\": 5, \"body\": \"b\", \"user\": {\"login\":"
                            + " \"github-actions[bot]\"}, \"html_url\":"
                            + " \"https://github.com/octo-org/shop/pull/7#issuecomment-5\"}")));
    Path body = Files.writeString(dir.resolve("lint.md"), "### Lint passed\n");
    Path event = Files.writeString(dir.resolve("event.json"), "{}");
    java.util.Map<String, String> env =
        java.util.Map.of(
            "GITHUB_EVENT_NAME", "workflow_dispatch",
            "GITHUB_EVENT_PATH", event.toString(),
            "GITHUB_REPOSITORY", "octo-org/shop",
            "GITHUB_SHA", "c".repeat(40),
            "GITHUB_API_URL", github.baseUrl(),
            "GITHUB_TOKEN", "ghs_jarTestToken",
            "GITHUB_OUTPUT", dir.resolve("output").toString());

    Result r =
        run(dir, env, "comment", "--key", "lint", "--body-file", body.toString(), "--pr", "7");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("::add-mask::ghs_jarTestToken" + System.lineSeparator());
    assertThat(r.err())
        .isEqualTo(
            "tollgate: posted the comment https://github.com/octo-org/shop/pull/7#issuecomment-5"
                + System.lineSeparator());
    assertThat(Files.readString(dir.resolve("output"))).contains("comment-url<<");
  }

  @Test
  void the_shaded_jar_gates_a_pull_request_with_three_api_calls() throws Exception {
    try (GithubStage stage = new GithubStage(github.getPort(), 0)) {
      GithubStage.Run r = stage.run(JAR, GithubStage.Case.EXISTING_COMMENT);

      assertThat(r.exit()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).contains("tollgate: updated the comment");
      assertThat(r.calls())
          .containsExactly(
              "GET /repos/octo-org/shop/issues/7/comments",
              "PATCH /repos/octo-org/shop/issues/comments/100",
              "POST /repos/octo-org/shop/statuses/" + stage.head());
    }
  }
}
