package dev.tollgate.cli.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.actions.github.Sleeper;
import dev.tollgate.cli.TollgateCommand;
import dev.tollgate.cli.common.Seams;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate deploy --github}: a GitHub deployment with statuses, and the job summary. */
class DeployGithubTest {
  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String REPO = "/repos/octo-org/shop";
  @TempDir Path dir;
  @TempDir Path step;

  /**
   * The process environment the deploy runs with: this machine's, without its own GitHub variables,
   * plus those of a workflow run that {@link #actionsDeploy} sets.
   */
  private final Map<String, String> env = new HashMap<>();

  /** A git repository in {@code dir} with one deploy spec, GitHub stubbed, the Actions env set. */
  private String actionsDeploy(String stagingSpec) throws Exception {
    Files.createDirectories(dir.resolve(".tollgate/deploy"));
    Files.writeString(dir.resolve(".tollgate/deploy/staging.yml"), stagingSpec);
    String sha;
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      sha =
          git.commit()
              .setMessage("x")
              .setAuthor(new PersonIdent("t", "t@example.com"))
              .setCommitter(new PersonIdent("t", "t@example.com"))
              .setSign(false)
              .call()
              .getName();
    }
    String repoJson =
        "{\"id\":1,\"name\":\"shop\",\"full_name\":\"octo-org/shop\",\"owner\":{\"login\":\"octo-org\",\"id\":2},"
            + "\"url\":\""
            + wm.baseUrl()
            + REPO
            + "\",\"html_url\":\"https://github.com/octo-org/shop\"}";
    String deployment =
        "{\"id\":99,\"sha\":\""
            + sha
            + "\",\"ref\":\""
            + sha
            + "\",\"environment\":\"staging\","
            + "\"url\":\""
            + wm.baseUrl()
            + REPO
            + "/deployments/99\",\"statuses_url\":\""
            + wm.baseUrl()
            + REPO
            + "/deployments/99/statuses\","
            + "\"repository_url\":\""
            + wm.baseUrl()
            + REPO
            + "\",\"created_at\":\"2026-11-21T10:00:00Z\",\"updated_at\":\"2026-11-21T10:00:00Z\"}";
    wm.stubFor(
        get(urlEqualTo(REPO))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(repoJson)));
    wm.stubFor(
        post(urlEqualTo(REPO + "/deployments"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(deployment)));
    wm.stubFor(
        get(urlEqualTo(REPO + "/deployments/99"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(deployment)));
    wm.stubFor(
        post(urlEqualTo(REPO + "/deployments/99/statuses"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"id\":1,\"state\":\"in_progress\",\"created_at\":\"2026-11-21T10:00:00Z\",\"updated_at\":\"2026-11-21T10:00:00Z\"}")));

    Path event = step.resolve("event.json");
    Files.writeString(
        event,
        "{\"inputs\":{},\"ref\":\"refs/heads/main\",\"repository\":{\"full_name\":\"octo-org/shop\"}}");
    System.getenv()
        .forEach(
            (k, v) -> {
              if (!k.startsWith("GITHUB_")) {
                env.put(k, v);
              }
            });
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_EVENT_NAME", "workflow_dispatch");
    env.put("GITHUB_EVENT_PATH", event.toString());
    env.put("GITHUB_REPOSITORY", "octo-org/shop");
    env.put("GITHUB_SHA", sha);
    env.put("GITHUB_API_URL", wm.baseUrl());
    env.put("GITHUB_SERVER_URL", "https://github.com");
    env.put("GITHUB_RUN_ID", "42");
    env.put("GITHUB_STEP_SUMMARY", step.resolve("summary.md").toString());
    env.put("GITHUB_TOKEN", "ghs_DeployT0ken");

    return sha;
  }

  private int deploy(StringWriter out, StringWriter err, Database db) {
    return TollgateCommand.execute(
        new Seams(Clock.systemUTC(), env, Sleeper.system()),
        new PrintWriter(out),
        new PrintWriter(err),
        "deploy",
        "staging",
        "--github",
        "--actor",
        "alice",
        "--database-url",
        TestDatabase.settings().jdbcUrl() + "?user=" + TestDatabase.settings().user(),
        "--schema",
        db.schema(),
        "--dir",
        dir.toString());
  }

  @Test
  void a_deploy_in_actions_records_a_github_deployment_in_progress_then_success() throws Exception {
    String sha = actionsDeploy("deploy:\n  shell: 'echo shipping'\n");
    try (Database db = TestDatabase.freshSchema("deploy_gh", 2)) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = deploy(out, err, db);
      assertThat(code).as(out + "\n" + err).isZero();
      assertThat(out.toString()).contains("::add-mask::ghs_DeployT0ken");
      assertThat(out.toString().split("ghs_DeployT0ken", -1))
          .as("the token appears only in its mask command")
          .hasSize(2);
    }
    wm.verify(
        postRequestedFor(urlEqualTo(REPO + "/deployments"))
            .withRequestBody(
                matchingJsonPath(
                    "$.environment",
                    com.github.tomakehurst.wiremock.client.WireMock.equalTo("staging")))
            .withRequestBody(
                matchingJsonPath(
                    "$.ref", com.github.tomakehurst.wiremock.client.WireMock.equalTo(sha))));
    wm.verify(
        postRequestedFor(urlEqualTo(REPO + "/deployments/99/statuses"))
            .withRequestBody(
                matchingJsonPath(
                    "$.state",
                    com.github.tomakehurst.wiremock.client.WireMock.equalTo("in_progress"))));
    wm.verify(
        postRequestedFor(urlEqualTo(REPO + "/deployments/99/statuses"))
            .withRequestBody(
                matchingJsonPath(
                    "$.state",
                    com.github.tomakehurst.wiremock.client.WireMock.equalTo("success"))));
    assertThat(Files.readString(step.resolve("summary.md")))
        .contains("tollgate deploy: deployed")
        .contains("| deploy-lock | pass |");
  }

  @Test
  void the_job_summary_and_the_output_mask_the_token_wherever_a_step_prints_it() throws Exception {
    String token = "ghs_DeployT0ken";
    actionsDeploy(
        "backup:\n  shell: 'echo \"snapshot-$NOTE\"'\n  env: {NOTE: '"
            + token
            + "'}\n"
            + "deploy:\n  shell: 'echo \"shipping with $NOTE\"'\n  env: {NOTE: '"
            + token
            + "'}\n");
    try (Database db = TestDatabase.freshSchema("deploy_gh_mask", 2)) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = deploy(out, err, db);
      assertThat(code).as(out + "\n" + err).isZero();
      assertThat(out.toString()).contains("shipping with ***");
      assertThat((out + "\n" + err).split(token, -1))
          .as("the token appears only in its mask command")
          .hasSize(2);
    }
    String summary = Files.readString(step.resolve("summary.md"));
    assertThat(summary).contains("backup `snapshot-***`").doesNotContain(token);
  }
}
