package dev.tollgate.cli.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A pull request staged for {@code tollgate gate --github} run as a process: a Git checkout with
 * base and head commits (as {@code actions/checkout} with {@code fetch-depth: 0} leaves it), the
 * {@code pull_request} event payload, the step's {@code GITHUB_*} environment, and a GitHub API
 * replayed by WireMock with GitHub-shaped answers for every endpoint a gate run may call (so that
 * any version of the runner can be measured against it).
 *
 * <p>Used by {@link GithubCallsBenchmark} and {@code RunnerJarIT}.
 */
public final class GithubStage implements AutoCloseable {
  /** What the run finds on GitHub, and how the runner is set up. */
  public enum Case {
    /** The comment exists; the policy needs no reviews; the action's author hint is set. */
    EXISTING_COMMENT("existing comment, no reviews needed (as the action runs it)", true, false),
    /** As {@link #EXISTING_COMMENT}, without {@code TOLLGATE_COMMENT_AUTHOR}. */
    EXISTING_COMMENT_NO_HINT("existing comment, no reviews needed, no author hint", false, false),
    /** No comment yet: the first run on the pull request. */
    FIRST_RUN("first run (no comment yet)", true, false),
    /** The comment exists; the policy requires one approval. */
    APPROVALS_REQUIRED("existing comment, policy requires 1 approval", true, true);

    /** How the case is shown. */
    public final String label;

    final boolean authorHint;
    final boolean approvals;

    Case(String label, boolean authorHint, boolean approvals) {
      this.label = label;
      this.authorHint = authorHint;
      this.approvals = approvals;
    }
  }

  /** The result of one run of the jar. */
  public record Run(int exit, long nanos, List<String> calls, String out, String err) {}

  private static final String REPO = "/repos/octo-org/shop";
  private static final String COMMENTS = REPO + "/issues/7/comments";
  private static final String MARKER = "<!-- tollgate:v1 key=ci/gate -->";

  static final String POLICY =
      String.join(
          "\n",
          "version: 1",
          "lanes:",
          "  ready:",
          "  in-progress:",
          "  done:",
          "    terminal: true",
          "transitions:",
          "  ready: [in-progress]",
          "  in-progress: [done]",
          "pull_request:",
          "  eligible_lanes: [in-progress]",
          "  max_files: 50",
          "  max_lines: 1000",
          "  touched_directories: [src/, docs/, work-items/]",
          "");

  private final Path root;
  private final Path checkout;
  private final Path step;
  private final WireMock wm;
  private final String apiUrl;
  private final int latencyMillis;
  private String base;
  private String head;
  private String blob;
  private int tick;

  /**
   * Stages the checkout and payload in a new temporary folder, against the WireMock at {@code
   * port}, each answer delayed by {@code latencyMillis} (0 for none).
   */
  public GithubStage(int port, int latencyMillis) throws Exception {
    this.root = Files.createTempDirectory("tollgate-gh-stage");
    this.checkout = root.resolve("checkout");
    this.step = root.resolve("step");
    Files.createDirectories(step);
    this.wm = new WireMock("localhost", port);
    this.apiUrl = "http://localhost:" + port;
    this.latencyMillis = latencyMillis;
    commit();
    Files.writeString(step.resolve("event.json"), payload(), StandardCharsets.UTF_8);
    Files.writeString(
        step.resolve("policy-approvals.yml"),
        POLICY + "  required_approvals: 1\n",
        StandardCharsets.UTF_8);
  }

  private void write(String path, String text) throws IOException {
    Path f = checkout.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text, StandardCharsets.UTF_8);
  }

  private String commit(Git git, String message) throws Exception {
    git.add().addFilepattern(".").call();
    PersonIdent who =
        new PersonIdent(
            "Tess",
            "t@example.com",
            Instant.ofEpochSecond(1_700_000_000L + tick++),
            ZoneOffset.UTC);
    return git.commit()
        .setMessage(message)
        .setAuthor(who)
        .setCommitter(who)
        .setSign(false)
        .call()
        .getName();
  }

  private void commit() throws Exception {
    try (Git git = Git.init().setDirectory(checkout.toFile()).setInitialBranch("main").call()) {
      write(".tollgate/policy.yml", POLICY);
      write(
          "work-items/wi-BF-274.yml",
          "id: wi-BF-274\ntitle: Fix rounding\nlane: in-progress\nstatus: in-progress\n");
      write("src/App.java", "class App {}\n");
      base = commit(git, "base");
      git.checkout().setCreateBranch(true).setName("bf/BF-274-x").call();
      write("infra/main.tf", "resource {}\n");
      head = commit(git, "BF-274: infra");
      try (TreeWalk walk =
          TreeWalk.forPath(
              git.getRepository(),
              "infra/main.tf",
              git.getRepository().parseCommit(git.getRepository().resolve(head)).getTree())) {
        blob = walk.getObjectId(0).getName();
      }
    }
  }

  private String repository() {
    return """
        {"id": 1296269, "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5", "name": "shop",
         "full_name": "octo-org/shop", "private": false,
         "owner": {"login": "octo-org", "id": 1, "type": "Organization"},
         "html_url": "https://github.com/octo-org/shop",
         "url": "%s/repos/octo-org/shop", "default_branch": "main"}
        """
        .formatted(apiUrl);
  }

  private String pullRequest() {
    return """
        {"url": "%1$s/repos/octo-org/shop/pulls/7", "id": 1, "number": 7, "state": "open",
         "title": "BF-274 Fix rounding", "user": {"login": "tess", "id": 2}, "labels": [],
         "head": {"label": "octo-org:bf/BF-274-x", "ref": "bf/BF-274-x", "sha": "%2$s",
                  "repo": %4$s},
         "base": {"label": "octo-org:main", "ref": "main", "sha": "%3$s", "repo": %4$s},
         "issue_url": "%1$s/repos/octo-org/shop/issues/7", "mergeable_state": "clean"}
        """
        .formatted(apiUrl, head, base, repository());
  }

  private String payload() {
    return """
        {"action": "synchronize", "number": 7, "pull_request": %s, "repository": %s,
         "sender": {"login": "tess", "id": 2}}
        """
        .formatted(pullRequest(), repository());
  }

  private String comment(long id, String login, String body) {
    return """
        {"id": %d, "body": "%s", "user": {"login": "%s", "id": 41898282, "type": "Bot"},
         "html_url": "https://github.com/octo-org/shop/pull/7#issuecomment-%d",
         "url": "%s/repos/octo-org/shop/issues/comments/%d",
         "created_at": "2026-11-21T10:00:00Z", "updated_at": "2026-11-21T10:00:00Z"}
        """
        .formatted(id, body.replace("\n", "\\n"), login, id, apiUrl, id);
  }

  private ResponseDefinitionBuilder json(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withFixedDelay(latencyMillis)
        .withBody(body);
  }

  /** Forgets earlier requests and stubs GitHub for {@code c}. */
  public void stub(Case c) {
    wm.resetMappings();
    wm.resetRequests();
    wm.resetScenarios();
    wm.register(get(urlPathEqualTo(REPO)).willReturn(json(200, repository())));
    wm.register(get(urlPathEqualTo(REPO + "/pulls/7")).willReturn(json(200, pullRequest())));
    wm.register(
        get(urlPathEqualTo(REPO + "/pulls/7/files"))
            .willReturn(
                json(
                    200,
                    """
                    [{"sha": "%s", "filename": "infra/main.tf", "status": "added",
                      "additions": 1, "deletions": 0, "changes": 1, "patch": "@@ -0,0 +1 @@\\n+x"}]
                    """
                        .formatted(blob))));
    wm.register(
        get(urlPathEqualTo(REPO + "/pulls/7/commits"))
            .willReturn(
                json(
                    200,
                    "[{\"sha\": \""
                        + head
                        + "\", \"commit\": {\"message\": \"BF-274: infra\"}}]")));
    wm.register(
        get(urlPathEqualTo(REPO + "/pulls/7/reviews"))
            .willReturn(
                json(
                    200,
                    "[{\"id\": 1, \"user\": {\"login\": \"alice\", \"id\": 5}, \"state\":"
                        + " \"APPROVED\", \"commit_id\": \""
                        + head
                        + "\"}]")));
    wm.register(
        get(urlPathEqualTo("/users/alice"))
            .willReturn(json(200, "{\"login\": \"alice\", \"id\": 5, \"type\": \"User\"}")));
    wm.register(
        get(urlPathEqualTo("/user"))
            .willReturn(
                json(
                    403,
                    "{\"message\": \"Resource not accessible by integration\", \"status\":"
                        + " \"403\"}")));
    wm.register(
        post(urlPathEqualTo(REPO + "/statuses/" + head))
            .willReturn(
                json(
                    201,
                    "{\"id\": 1, \"state\": \"failure\", \"context\": \"tollgate/ci/gate\"}")));
    String ours = comment(100, "github-actions[bot]", MARKER + "\nolder report");
    String other = comment(50, "octocat", "LGTM");
    if (c == Case.FIRST_RUN) {
      String created = comment(900, "github-actions[bot]", MARKER + "\nreport");
      wm.register(
          get(urlPathEqualTo(COMMENTS))
              .inScenario("comments")
              .whenScenarioStateIs(Scenario.STARTED)
              .willReturn(json(200, "[" + other + "]")));
      wm.register(
          post(urlPathEqualTo(COMMENTS))
              .inScenario("comments")
              .whenScenarioStateIs(Scenario.STARTED)
              .willSetStateTo("posted")
              .willReturn(json(201, created)));
      wm.register(
          get(urlPathEqualTo(COMMENTS))
              .inScenario("comments")
              .whenScenarioStateIs("posted")
              .willReturn(json(200, "[" + other + "," + created + "]")));
    } else {
      wm.register(
          get(urlPathEqualTo(COMMENTS)).willReturn(json(200, "[" + other + "," + ours + "]")));
      wm.register(
          patch(urlPathEqualTo(REPO + "/issues/comments/100"))
              .willReturn(json(200, comment(100, "github-actions[bot]", MARKER + "\nx"))));
    }
  }

  /** Stubs GitHub for {@code c} and runs {@code java -jar jar gate --github} once. */
  public Run run(Path jar, Case c) throws Exception {
    return run(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            jar.toAbsolutePath().toString()),
        Map.of(),
        c);
  }

  /**
   * Stubs GitHub for {@code c} and runs {@code launcher gate --github} once, where {@code launcher}
   * starts the runner (such as {@code java -jar tollgate.jar}), with {@code extraEnvironment} added
   * to the step's environment.
   */
  public Run run(List<String> launcher, Map<String, String> extraEnvironment, Case c)
      throws Exception {
    stub(c);
    List<String> cmd = new ArrayList<>(launcher);
    cmd.addAll(List.of("gate", "--github", "--repo", checkout.toString()));
    if (c.approvals) {
      cmd.addAll(List.of("--policy", step.resolve("policy-approvals.yml").toString()));
    }
    Path out = step.resolve("stdout.txt");
    Path err = step.resolve("stderr.txt");
    Files.deleteIfExists(step.resolve("output"));
    Files.deleteIfExists(step.resolve("summary.md"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(root.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    env.keySet()
        .removeIf(
            k -> k.startsWith("GITHUB_") || k.startsWith("RUNNER_") || k.startsWith("TOLLGATE_"));
    env.putAll(environment(c));
    env.putAll(extraEnvironment);
    long start = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("tollgate did not exit within 2 minutes");
    }
    long nanos = System.nanoTime() - start;
    return new Run(
        p.exitValue(),
        nanos,
        calls(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** The step's environment, as the action gives it. */
  public Map<String, String> environment(Case c) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_EVENT_NAME", "pull_request");
    env.put("GITHUB_EVENT_PATH", step.resolve("event.json").toString());
    env.put("GITHUB_REPOSITORY", "octo-org/shop");
    env.put("GITHUB_SHA", head);
    env.put("GITHUB_API_URL", apiUrl);
    env.put("GITHUB_SERVER_URL", "https://github.com");
    env.put("GITHUB_RUN_ID", "42");
    env.put("GITHUB_WORKFLOW", "ci");
    env.put("GITHUB_JOB", "gate");
    env.put("GITHUB_OUTPUT", step.resolve("output").toString());
    env.put("GITHUB_STEP_SUMMARY", step.resolve("summary.md").toString());
    env.put("RUNNER_TEMP", step.toString());
    env.put("GITHUB_TOKEN", "ghs_benchToken0123456789");
    if (c.authorHint) {
      env.put("TOLLGATE_COMMENT_AUTHOR", "github-actions[bot]");
    }
    return env;
  }

  /** The requests GitHub got since the last {@link #stub}, oldest first, without queries. */
  public List<String> calls() {
    List<String> out = new ArrayList<>();
    for (ServeEvent e : wm.getServeEvents()) {
      String url = e.getRequest().getUrl();
      int q = url.indexOf('?');
      out.add(0, e.getRequest().getMethod() + " " + (q < 0 ? url : url.substring(0, q)));
    }
    return out;
  }

  /** The head commit the status goes on. */
  public String head() {
    return head;
  }

  @Override
  public void close() throws IOException {
    try (var paths = Files.walk(root)) {
      paths
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // Best effort: a temporary folder.
                }
              });
    }
  }
}
