package dev.tollgate.cli.gate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tollgate.cli.TollgateCommand;
import dev.tollgate.cli.common.Seams;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tollgate gate --github} and {@code tollgate comment} end to end: a Git checkout built with
 * JGit, the event payload and the step's files in a temporary folder, and the GitHub API replayed
 * by WireMock with responses shaped like GitHub's documented ones.
 */
class GithubModeTest {
  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String REPO = "/repos/octo-org/shop";
  private static final String COMMENTS = REPO + "/issues/7/comments";
  private static final String TOKEN = "ghs_Secr3tT0kenValue";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  @TempDir Path step;
  private Git git;
  private int tick;
  private String base;
  private String head;
  private Map<String, String> env;

  record Run(int exit, String out, String err) {}

  /** Runs with the step's environment ({@link #env}, none before a pull request is staged). */
  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Seams seams = new Seams(Clock.systemUTC(), env == null ? Map.of() : env, d -> {});
    int exit = TollgateCommand.execute(seams, new PrintWriter(out), new PrintWriter(err), args);
    return new Run(exit, out.toString(), err.toString());
  }

  @BeforeEach
  void checkout() throws Exception {
    git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    write(".tollgate/policy.yml", GateCommandTest.POLICY);
    write(
        "work-items/wi-BF-274.yml",
        "id: wi-BF-274\ntitle: Fix rounding\nlane: in-progress\nstatus: in-progress\n");
    write("src/App.java", "class App {}\n");
    base = commit("base");
    git.checkout().setCreateBranch(true).setName("bf/BF-274-x").call();
  }

  @AfterEach
  void restore() {
    git.close();
  }

  private void write(String path, String text) throws IOException {
    Path f = dir.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text, StandardCharsets.UTF_8);
  }

  private String commit(String message) throws Exception {
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

  /** The pull request's head commit, its event payload, the step's environment and the API. */
  private void pullRequest(String path, String content, String message) throws Exception {
    write(path, content);
    head = commit(message);
    String blob;
    try (TreeWalk walk =
        TreeWalk.forPath(
            git.getRepository(),
            path,
            git.getRepository().parseCommit(git.getRepository().resolve(head)).getTree())) {
      blob = walk.getObjectId(0).getName();
    }
    Path event = step.resolve("event.json");
    // Shaped like GitHub's payload: the repository with its owner and name, the pull request with
    // its URL, so the runner addresses both without reading them first.
    String payloadRepo =
        """
        {"id": 1296269, "name": "shop", "full_name": "octo-org/shop", "private": false,
         "owner": {"login": "octo-org", "id": 1, "type": "Organization"},
         "url": "https://api.github.com/repos/octo-org/shop", "default_branch": "main"}
        """;
    Files.writeString(
        event,
        """
        {"action": "synchronize", "number": 7,
         "pull_request": {"url": "https://api.github.com/repos/octo-org/shop/pulls/7", "id": 1,
           "number": 7, "state": "open", "title": "BF-274 Fix rounding", "labels": [],
           "user": {"login": "tess", "id": 2},
           "head": {"ref": "bf/BF-274-x", "sha": "%1$s", "repo": %3$s},
           "base": {"ref": "main", "sha": "%2$s", "repo": %3$s}},
         "repository": %3$s,
         "sender": {"login": "tess", "id": 2}}
        """
            .formatted(head, base, payloadRepo));
    env = new HashMap<>();
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_EVENT_NAME", "pull_request");
    env.put("GITHUB_EVENT_PATH", event.toString());
    env.put("GITHUB_REPOSITORY", "octo-org/shop");
    env.put("GITHUB_SHA", head);
    env.put("GITHUB_API_URL", wm.baseUrl());
    env.put("GITHUB_SERVER_URL", "https://github.com");
    env.put("GITHUB_RUN_ID", "42");
    env.put("GITHUB_WORKFLOW", "ci");
    env.put("GITHUB_JOB", "gate");
    env.put("GITHUB_OUTPUT", step.resolve("output").toString());
    env.put("GITHUB_STEP_SUMMARY", step.resolve("summary.md").toString());
    env.put("RUNNER_TEMP", step.toString());
    env.put("GITHUB_TOKEN", TOKEN);

    String repo =
        """
        {"id": 1296269, "name": "shop", "full_name": "octo-org/shop",
         "owner": {"login": "octo-org", "id": 1, "type": "Organization"},
         "private": false, "default_branch": "main", "url": "%s%s"}
        """
            .formatted(wm.baseUrl(), REPO);
    wm.stubFor(get(urlPathEqualTo(REPO)).willReturn(ok(repo)));
    wm.stubFor(
        get(urlPathEqualTo(REPO + "/pulls/7"))
            .willReturn(
                ok(
                    """
                    {"url": "%1$s%2$s/pulls/7", "id": 1, "number": 7, "state": "open",
                     "title": "BF-274 Fix rounding", "user": {"login": "tess", "id": 2},
                     "labels": [{"id": 3, "name": "reviewed"}],
                     "head": {"ref": "bf/BF-274-x", "sha": "%3$s", "repo": %5$s},
                     "base": {"ref": "main", "sha": "%4$s", "repo": %5$s},
                     "mergeable_state": "clean", "issue_url": "%1$s%2$s/issues/7"}
                    """
                        .formatted(wm.baseUrl(), REPO, head, base, repo))));
    wm.stubFor(
        get(urlPathEqualTo(REPO + "/pulls/7/files"))
            .willReturn(
                ok(
                    """
                    [{"sha": "%s", "filename": "%s", "status": "added", "additions": 1,
                      "deletions": 0, "changes": 1, "patch": "@@ -0,0 +1 @@\\n+x"}]
                    """
                        .formatted(blob, path))));
    wm.stubFor(
        get(urlPathEqualTo(REPO + "/pulls/7/commits"))
            .willReturn(
                ok(
                    "[{\"sha\": \""
                        + head
                        + "\", \"commit\": {\"message\": \""
                        + message
                        + "\"}}]")));
    wm.stubFor(get(urlPathEqualTo(REPO + "/pulls/7/reviews")).willReturn(ok("[]")));
    wm.stubFor(
        get(urlPathEqualTo("/user"))
            .willReturn(json(403, "{\"message\": \"Resource not accessible by integration\"}")));
    wm.stubFor(get(urlPathEqualTo(COMMENTS)).willReturn(ok("[]")));
    wm.stubFor(post(urlPathEqualTo(COMMENTS)).willReturn(json(201, comment(900, "new"))));
    wm.stubFor(
        post(urlPathEqualTo(REPO + "/statuses/" + head))
            .willReturn(json(201, "{\"id\": 1, \"state\": \"failure\", \"context\": \"c\"}")));
  }

  private String comment(long id, String body) {
    return """
        {"id": %d, "body": %s, "user": {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"},
         "html_url": "https://github.com/octo-org/shop/pull/7#issuecomment-%d",
         "url": "%s%s/issues/comments/%d", "created_at": "2026-11-21T10:00:00Z"}
        """
        .formatted(id, JSON.valueToTree(body).toString(), id, wm.baseUrl(), REPO, id);
  }

  private static ResponseDefinitionBuilder ok(String body) {
    return json(200, body);
  }

  private static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  private Run gate(String... extra) {
    List<String> args = new ArrayList<>(List.of("gate", "--github", "--repo", dir.toString()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  private String file(String name) throws IOException {
    return Files.readString(step.resolve(name), StandardCharsets.UTF_8);
  }

  /** The step outputs as name → value, parsed the way the runner parses the heredoc form. */
  private Map<String, String> outputs() throws IOException {
    Map<String, String> out = new HashMap<>();
    List<String> lines = Files.readAllLines(step.resolve("output"));
    for (int i = 0; i < lines.size(); i++) {
      String[] head = lines.get(i).split("<<", 2);
      StringBuilder value = new StringBuilder();
      for (i++; !lines.get(i).equals(head[1]); i++) {
        value.append(value.length() > 0 ? "\n" : "").append(lines.get(i));
      }
      out.put(head[0], value.toString());
    }
    return out;
  }

  @Test
  void a_blocked_pull_request_gets_the_comment_the_status_annotations_summary_and_outputs()
      throws Exception {
    pullRequest("infra/main.tf", "resource {}\n", "BF-274: infra");

    Run r = gate();

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .startsWith(
            "::add-mask::" + TOKEN + "\nmerge gate: blocked (7 of 8 gates pass, 1 blocked)\n");
    assertThat(r.out())
        .contains(
            "::error file=infra/main.tf,title=touched-directories::1 changed path is outside the"
                + " allowed folders, e.g. infra/main.tf");
    assertThat(r.err())
        .contains(
            "tollgate: posted the comment https://github.com/octo-org/shop/pull/7#issuecomment-900");
    assertThat(r.err())
        .contains("tollgate: commit status tollgate/ci/gate set on " + head.substring(0, 7));

    LoggedRequest posted = wm.findAll(postRequestedFor(urlPathEqualTo(COMMENTS))).get(0);
    String body = JSON.readTree(posted.getBodyAsString()).get("body").asText();
    assertThat(body)
        .startsWith(
            "<!-- tollgate:v1 key=ci/gate -->\n### ⛔ Merge gate: 1 of 8 gates block\n\n"
                + "⛔ **`touched-directories`**: 1 changed path is outside");
    assertThat(body).contains("**Next step:** Move the change to an allowed folder");
    assertThat(body)
        .contains(
            "- **At** [`infra/main.tf`](https://github.com/octo-org/shop/blob/"
                + head
                + "/infra/main.tf): ");
    assertThat(body).contains("[run](https://github.com/octo-org/shop/actions/runs/42)");

    JsonNode status =
        JSON.readTree(
            wm.findAll(postRequestedFor(urlPathEqualTo(REPO + "/statuses/" + head)))
                .get(0)
                .getBodyAsString());
    assertThat(status.get("state").asText()).isEqualTo("failure");
    assertThat(status.get("context").asText()).isEqualTo("tollgate/ci/gate");
    assertThat(status.get("description").asText()).isEqualTo("blocked: touched-directories");
    assertThat(status.get("target_url").asText())
        .isEqualTo("https://github.com/octo-org/shop/actions/runs/42");

    assertThat(file("summary.md")).startsWith("### ⛔ Merge gate: 1 of 8 gates block\n");
    assertThat(file("summary.md"))
        .contains("<details><summary>✅ 7 gates pass</summary>")
        .contains("- `pr-size`: ")
        .contains("changed files: 1 from the checkout with Git (it has the base and head commits)")
        .contains("approvals: not read (no gate of the policy uses them)");
    Map<String, String> outputs = outputs();
    assertThat(outputs)
        .containsEntry("result", "blocked")
        .containsEntry("blocking-count", "1")
        .containsEntry("comment-url", "https://github.com/octo-org/shop/pull/7#issuecomment-900")
        .containsEntry("report-path", step.resolve("tollgate-report/report.json").toString());
    JsonNode report = JSON.readTree(step.resolve("tollgate-report/report.json").toFile());
    assertThat(report.get("verdict").asText()).isEqualTo("blocked");
    assertThat(report.get("head").get("commit").asText()).isEqualTo(head);
    JsonNode meta = JSON.readTree(step.resolve("tollgate-report/pull-request.json").toFile());
    assertThat(meta.get("pullRequest").asInt()).isEqualTo(7);
    assertThat(meta.get("headSha").asText()).isEqualTo(head);
  }

  // --- API calls per run: counted exactly from WireMock's journal ---

  /** The requests the run made, oldest first, as {@code METHOD /path} without the query. */
  private static List<String> calls() {
    List<String> out = new ArrayList<>();
    for (var e : wm.getAllServeEvents()) {
      String url = e.getRequest().getUrl();
      int q = url.indexOf('?');
      out.add(0, e.getRequest().getMethod() + " " + (q < 0 ? url : url.substring(0, q)));
    }
    return out;
  }

  private void existingComment() {
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .willReturn(
                ok(
                    "["
                        + comment(50, "LGTM")
                            .replace("github-actions[bot]", "octocat")
                            .replace("\"Bot\"", "\"User\"")
                        + ","
                        + comment(100, "<!-- tollgate:v1 key=ci/gate -->\nolder report")
                        + "]")));
    wm.stubFor(
        patch(urlPathEqualTo(REPO + "/issues/comments/100")).willReturn(ok(comment(100, "x"))));
  }

  @Test
  void an_existing_comment_and_a_policy_without_reviews_cost_three_calls() throws Exception {
    pullRequest("infra/main.tf", "resource {}\n", "BF-274: infra");
    existingComment();
    // What the action sets when its token is the workflow's GITHUB_TOKEN.
    env.put("TOLLGATE_COMMENT_AUTHOR", "github-actions[bot]");

    Run r = gate();

    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(calls())
        .containsExactly(
            "GET " + COMMENTS,
            "PATCH " + REPO + "/issues/comments/100",
            "POST " + REPO + "/statuses/" + head);
    wm.verify(exactly(3), anyRequestedFor(anyUrl()));
    assertThat(r.err()).contains("tollgate: updated the comment");
  }

  @Test
  void without_the_author_hint_the_tokens_login_costs_one_call_more() throws Exception {
    pullRequest("infra/main.tf", "resource {}\n", "BF-274: infra");
    existingComment();

    Run r = gate();

    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    // A marked comment must be told apart from others': GET /user (403 for GITHUB_TOKEN, so
    // github-actions[bot] is assumed), asked once the comments show a marker.
    assertThat(calls())
        .containsExactly(
            "GET " + COMMENTS,
            "GET /user",
            "PATCH " + REPO + "/issues/comments/100",
            "POST " + REPO + "/statuses/" + head);
  }

  @Test
  void a_first_run_costs_four_calls_and_never_asks_for_the_login() throws Exception {
    pullRequest("infra/main.tf", "resource {}\n", "BF-274: infra");
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .inScenario("first")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(ok("[]")));
    wm.stubFor(
        post(urlPathEqualTo(COMMENTS))
            .inScenario("first")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("posted")
            .willReturn(json(201, comment(900, "<!-- tollgate:v1 key=ci/gate -->\nreport"))));
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .inScenario("first")
            .whenScenarioStateIs("posted")
            .willReturn(ok("[" + comment(900, "<!-- tollgate:v1 key=ci/gate -->\nreport") + "]")));

    Run r = gate();

    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    // The second look at the comments finds copies posted by a racing run; the posted comment
    // names its author, so GET /user is not needed even to tell which copy is ours.
    assertThat(calls())
        .containsExactly(
            "GET " + COMMENTS,
            "POST " + COMMENTS,
            "GET " + COMMENTS,
            "POST " + REPO + "/statuses/" + head);
  }

  @Test
  void a_pull_request_that_passes_on_its_first_run_costs_two_calls() throws Exception {
    pullRequest("src/Fix.java", "class Fix {}\n", "BF-274: fix");

    Run r = gate();

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(calls()).containsExactly("GET " + COMMENTS, "POST " + REPO + "/statuses/" + head);
  }

  @Test
  void a_policy_that_requires_approvals_adds_the_reviews_call() throws Exception {
    pullRequest("infra/main.tf", "resource {}\n", "BF-274: infra");
    existingComment();
    env.put("TOLLGATE_COMMENT_AUTHOR", "github-actions[bot]");
    wm.stubFor(
        get(urlPathEqualTo(REPO + "/pulls/7/reviews"))
            .willReturn(
                ok(
                    """
                    [{"id": 1, "user": {"login": "alice", "id": 5}, "state": "APPROVED",
                      "commit_id": "%s", "submitted_at": "2026-11-21T09:00:00Z"},
                     {"id": 2, "user": {"login": "bob", "id": 6}, "state": "COMMENTED",
                      "commit_id": "%s", "submitted_at": "2026-11-21T09:05:00Z"}]
                    """
                        .formatted(head, head))));
    Path policy = step.resolve("policy.yml");
    Files.writeString(policy, GateCommandTest.POLICY + "  required_approvals: 1\n");

    Run r = gate("--policy", policy.toString());

    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(calls())
        .containsExactly(
            "GET " + REPO + "/pulls/7/reviews",
            "GET " + COMMENTS,
            "PATCH " + REPO + "/issues/comments/100",
            "POST " + REPO + "/statuses/" + head);
    assertThat(file("summary.md")).contains("approvals: 1 from the GitHub API (reviews of #7)");
    assertThat(file("summary.md")).contains("- `required-approvals`: 1 of 1 required approvals");
  }

  @Test
  void the_token_appears_only_in_the_mask_command() throws Exception {
    pullRequest("infra/main.tf", "resource {}\n", "BF-274: infra");

    Run r = gate("--verbose");

    assertThat(r.out().split(TOKEN, -1)).hasSize(2);
    assertThat(r.err()).doesNotContain(TOKEN);
    assertThat(file("summary.md") + file("output")).doesNotContain(TOKEN);
    for (LoggedRequest req :
        wm.getAllServeEvents().stream()
            .map(e -> e.getRequest())
            .map(LoggedRequest.class::cast)
            .toList()) {
      assertThat(req.getBodyAsString()).doesNotContain(TOKEN);
    }
  }

  @Test
  void a_passing_pull_request_shrinks_an_earlier_comment_to_a_short_verdict() throws Exception {
    pullRequest("src/Fix.java", "class Fix {}\n", "BF-274: fix");
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .willReturn(
                ok("[" + comment(100, "<!-- tollgate:v1 key=ci/gate -->\n⛔ blocked") + "]")));
    wm.stubFor(
        patch(urlPathEqualTo(REPO + "/issues/comments/100")).willReturn(ok(comment(100, "x"))));

    Run r = gate();

    assertThat(r.exit()).isZero();
    String edited =
        JSON.readTree(
                wm.findAll(patchRequestedFor(urlPathEqualTo(REPO + "/issues/comments/100")))
                    .get(0)
                    .getBodyAsString())
            .get("body")
            .asText();
    assertThat(edited)
        .isEqualTo(
            "<!-- tollgate:v1 key=ci/gate -->\n### ✅ Merge gate: pass\n\nAll 8 gates pass at `"
                + head.substring(0, 7)
                + "` ([run](https://github.com/octo-org/shop/actions/runs/42)).\n");
    assertThat(outputs()).containsEntry("result", "pass").containsEntry("blocking-count", "0");
  }

  @Test
  void a_forks_read_only_token_does_not_fail_the_step_and_says_how_to_post() throws Exception {
    pullRequest("infra/main.tf", "resource {}\n", "BF-274: infra");
    String refused =
        "{\"message\": \"Resource not accessible by integration\", \"status\": \"403\"}";
    wm.stubFor(post(urlPathEqualTo(COMMENTS)).willReturn(json(403, refused)));
    wm.stubFor(post(urlPathEqualTo(REPO + "/statuses/" + head)).willReturn(json(403, refused)));

    Run r = gate("--fail-on", "never");

    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains(
            "::warning title=Tollgate could not post::The token may not write the sticky comment"
                + " and the commit status (a fork's pull request gets a read-only token)");
    assertThat(r.err()).contains("examples/workflows/fork-pr-report.yml");
    assertThat(file("summary.md")).contains("> [!NOTE]\n> The token may not write");
    assertThat(outputs()).containsEntry("result", "blocked").containsEntry("comment-url", "");
    assertThat(step.resolve("tollgate-report/comment.md")).exists();
  }

  @Test
  void a_comment_github_fails_to_take_still_leaves_the_status_and_exits_three() throws Exception {
    pullRequest("infra/main.tf", "resource {}\n", "BF-274: infra");
    wm.stubFor(
        post(urlPathEqualTo(COMMENTS)).willReturn(json(500, "{\"message\": \"Server Error\"}")));

    Run r = gate();

    assertThat(r.exit()).isEqualTo(3);
    // Not retried blindly: posted, found missing on re-listing, posted once more.
    wm.verify(exactly(2), postRequestedFor(urlPathEqualTo(COMMENTS)));
    wm.verify(exactly(1), postRequestedFor(urlPathEqualTo(REPO + "/statuses/" + head)));
    assertThat(r.err())
        .contains(
            "tollgate: could not finish: GitHub failed while posting a comment on #7 (500 Server"
                + " Error); re-run the job");
    assertThat(outputs()).containsEntry("result", "error").containsEntry("comment-url", "");
  }

  @Test
  void a_blocked_gate_fails_the_step_unless_fail_on_is_never() throws Exception {
    pullRequest("infra/main.tf", "resource {}\n", "BF-274: infra");
    assertThat(gate().exit()).isEqualTo(1);
    assertThat(gate("--fail-on", "never", "--comment", "off").exit()).isZero();
  }

  @Test
  void a_rejected_token_exits_three_with_a_clear_message() throws Exception {
    pullRequest("infra/main.tf", "resource {}\n", "BF-274: infra");
    wm.stubFor(
        any(anyUrl())
            .atPriority(1)
            .willReturn(json(401, "{\"message\": \"Bad credentials\", \"status\": \"401\"}")));

    Run r = gate();

    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err())
        .startsWith(
            "tollgate: could not finish: GitHub rejected the token while listing the comments of"
                + " #7 (401 Bad credentials): it is invalid, revoked or expired; check the"
                + " github-token input");
    assertThat(r.err()).doesNotContain(TOKEN);
    // Rejected is rejected: nothing is retried, and nothing else is tried with that token.
    wm.verify(exactly(1), anyRequestedFor(anyUrl()));
  }

  @Test
  void a_gate_that_cannot_run_sets_an_error_status_instead_of_leaving_it_pending()
      throws Exception {
    pullRequest("src/Fix.java", "class Fix {}\n", "BF-274: fix");
    Path policy = step.resolve("bad-policy.yml");
    Files.writeString(policy, "version: 1\npull_request:\n  max_filez: 3\n");

    Run r = gate("--policy", policy.toString());

    assertThat(r.exit()).isEqualTo(2);
    JsonNode status =
        JSON.readTree(
            wm.findAll(postRequestedFor(urlPathEqualTo(REPO + "/statuses/" + head)))
                .get(0)
                .getBodyAsString());
    assertThat(status.get("state").asText()).isEqualTo("error");
    assertThat(status.get("description").asText()).startsWith("could not run: ");
    wm.verify(exactly(0), postRequestedFor(urlPathEqualTo(COMMENTS)));
  }

  @Test
  void an_unsupported_event_is_bad_input_naming_the_supported_ones() throws Exception {
    pullRequest("src/Fix.java", "class Fix {}\n", "BF-274: fix");
    env.put("GITHUB_EVENT_NAME", "schedule");

    Run r = gate();

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .startsWith(
            "the GitHub event 'schedule' is not supported; supported events: pull_request,"
                + " pull_request_target, push, merge_group, workflow_dispatch, issue_comment\n");
    wm.verify(exactly(0), anyRequestedFor(anyUrl()));
  }

  @Test
  void github_options_need_github_mode_and_local_facts_conflict_with_it() {
    Run r = run("gate", "--repo", dir.toString(), "--comment", "off");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("--comment needs --github\n");
    Run c = run("gate", "--github", "--repo", dir.toString(), "--title", "x");
    assertThat(c.exit()).isEqualTo(2);
    assertThat(c.err())
        .startsWith(
            "--title cannot be combined with --github: in GitHub mode the event and the pull"
                + " request give it\n");
  }

  @Test
  void comment_posts_a_file_as_the_sticky_comment_of_its_key() throws Exception {
    pullRequest("src/Fix.java", "class Fix {}\n", "BF-274: fix");
    Path body = step.resolve("lint.md");
    Files.writeString(body, "### Lint: 2 warnings\n");

    Run r = run("comment", "--key", "lint", "--body-file", body.toString());

    assertThat(r.exit()).isZero();
    String sent =
        JSON.readTree(
                wm.findAll(postRequestedFor(urlPathEqualTo(COMMENTS))).get(0).getBodyAsString())
            .get("body")
            .asText();
    assertThat(sent).isEqualTo("<!-- tollgate:v1 key=lint -->\n### Lint: 2 warnings\n");
    assertThat(outputs())
        .containsEntry("comment-url", "https://github.com/octo-org/shop/pull/7#issuecomment-900");
  }

  @Test
  void comment_refuses_a_report_for_another_head() throws Exception {
    pullRequest("src/Fix.java", "class Fix {}\n", "BF-274: fix");
    env.put("GITHUB_EVENT_NAME", "workflow_run");
    Path body = step.resolve("comment.md");
    Files.writeString(body, "report\n");

    Run noPr = run("comment", "--key", "ci/gate", "--body-file", body.toString());
    assertThat(noPr.exit()).isEqualTo(2);
    assertThat(noPr.err())
        .startsWith("--pr is required: the workflow_run event names no pull request\n");

    Run stale =
        run(
            "comment",
            "--key",
            "ci/gate",
            "--body-file",
            body.toString(),
            "--pr",
            "7",
            "--head-sha",
            base);
    assertThat(stale.exit()).isZero();
    assertThat(stale.err())
        .contains("not posted: pull request #7 is at " + head + " now, not " + base);
    wm.verify(exactly(0), postRequestedFor(urlPathEqualTo(COMMENTS)));

    Run fresh =
        run(
            "comment",
            "--key",
            "ci/gate",
            "--body-file",
            body.toString(),
            "--pr",
            "7",
            "--head-sha",
            head);
    assertThat(fresh.exit()).isZero();
    wm.verify(exactly(1), postRequestedFor(urlPathEqualTo(COMMENTS)));
  }
}
