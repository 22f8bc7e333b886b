package dev.tollgate.actions.github;

import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.tollgate.actions.github.GithubApi.HEAD_SHA;
import static dev.tollgate.actions.github.GithubApi.REPO;
import static dev.tollgate.actions.github.GithubApi.REPO_PATH;
import static dev.tollgate.actions.github.GithubApi.json;
import static dev.tollgate.actions.github.GithubApi.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tollgate.actions.report.JsonText;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.gate.GateStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The verdict on the commit: a commit status, or a check run with annotations. */
class CommitReportTest {
  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String STATUSES = REPO_PATH + "/statuses/" + HEAD_SHA;
  private static final String CHECK_RUNS = REPO_PATH + "/check-runs";
  private static final String RUN_URL = "https://github.com/octo-org/shop/actions/runs/42";

  private GithubApi api;

  @BeforeEach
  void stubs() {
    api = new GithubApi(wm);
    api.stubRepository();
    wm.stubFor(post(urlPathEqualTo(STATUSES)).willReturn(json(201, status("failure"))));
    wm.stubFor(post(urlPathEqualTo(CHECK_RUNS)).willReturn(json(201, checkRun(4))));
    wm.stubFor(patch(urlPathEqualTo(CHECK_RUNS + "/4")).willReturn(ok(checkRun(4))));
  }

  /** The shape of GitHub's "status" example. */
  private String status(String state) {
    ObjectNode s = JsonText.mapper().createObjectNode();
    s.put("url", api.base() + REPO_PATH + "/statuses/" + HEAD_SHA);
    s.put("id", 1);
    s.put("node_id", "MDY6U3RhdHVzMQ==");
    s.put("state", state);
    s.put("description", "blocked: secrets");
    s.put("target_url", RUN_URL);
    s.put("context", "tollgate/ci/gate");
    s.put("created_at", "2026-11-21T12:00:00Z");
    s.put("updated_at", "2026-11-21T12:00:00Z");
    s.set("creator", api.user("github-actions[bot]", "Bot"));
    return JsonText.pretty(s);
  }

  /** The shape of GitHub's "check-run" example. */
  private String checkRun(long id) {
    ObjectNode c = JsonText.mapper().createObjectNode();
    c.put("id", id);
    c.put("head_sha", HEAD_SHA);
    c.put("node_id", "MDg6Q2hlY2tSdW40");
    c.put("external_id", "tollgate:42:ci");
    c.put("url", api.base() + CHECK_RUNS + "/" + id);
    c.put("html_url", "https://github.com/octo-org/shop/runs/" + id);
    c.put("details_url", RUN_URL);
    c.put("status", "completed");
    c.put("conclusion", "failure");
    c.put("started_at", "2026-11-21T12:00:00Z");
    c.put("completed_at", "2026-11-21T12:00:00Z");
    c.put("name", "Merge gate");
    ObjectNode output = c.putObject("output");
    output.put("title", "Merge gate: blocked (1 of 8 gates block)");
    output.put("summary", "…");
    output.put("annotations_count", 2);
    output.put("annotations_url", api.base() + CHECK_RUNS + "/" + id + "/annotations");
    c.putArray("pull_requests");
    return JsonText.pretty(c);
  }

  private static List<Diagnostic> findings(int n) {
    List<Diagnostic> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(
          new Diagnostic(
              Severity.ERROR,
              "secrets",
              "finding " + i,
              Location.of("src/F" + i + ".java", i, 3),
              Optional.of("Next step: remove it."),
              Optional.empty()));
    }
    return out;
  }

  private static CommitReport report(Optional<String> checkName, GateStatus outcome, int findings) {
    return new CommitReport(
        HEAD_SHA,
        "tollgate/ci/gate",
        checkName,
        outcome,
        "Merge gate: blocked (1 of 8 gates block)",
        "blocked: secrets",
        CommentBody.of("### ⛔ Merge gate: blocked"),
        findings(findings),
        Optional.of(RUN_URL),
        "tollgate:42:ci");
  }

  private static JsonNode body(LoggedRequest r) throws Exception {
    return JsonText.mapper().readTree(r.getBodyAsString());
  }

  @Test
  void sets_a_commit_status_with_the_context_the_description_and_the_run_link() throws Exception {
    CommitReportResult r =
        api.client().report(REPO, report(Optional.empty(), GateStatus.BLOCKED, 1));

    assertThat(r.kind()).isEqualTo(CommitReportResult.Kind.STATUS);
    List<LoggedRequest> sent = wm.findAll(postRequestedFor(urlPathEqualTo(STATUSES)));
    assertThat(sent).hasSize(1);
    JsonNode b = body(sent.get(0));
    assertThat(b.get("state").asText()).isEqualTo("failure");
    assertThat(b.get("context").asText()).isEqualTo("tollgate/ci/gate");
    assertThat(b.get("description").asText()).isEqualTo("blocked: secrets");
    assertThat(b.get("target_url").asText()).isEqualTo(RUN_URL);
  }

  @Test
  void each_verdict_maps_to_its_status_state() throws Exception {
    GithubClient client = api.client();
    client.report(REPO, report(Optional.empty(), GateStatus.PASS, 0));
    client.report(REPO, report(Optional.empty(), GateStatus.ERROR, 0));
    List<LoggedRequest> sent = wm.findAll(postRequestedFor(urlPathEqualTo(STATUSES)));
    assertThat(body(sent.get(0)).get("state").asText()).isEqualTo("success");
    assertThat(body(sent.get(1)).get("state").asText()).isEqualTo("error");
  }

  @Test
  void a_description_over_githubs_limit_is_cut() {
    CommitReport r =
        new CommitReport(
            HEAD_SHA,
            "tollgate/k",
            Optional.empty(),
            GateStatus.BLOCKED,
            "t",
            "x".repeat(300),
            CommentBody.of("s"),
            List.of(),
            Optional.empty(),
            "id");
    assertThat(r.description()).hasSize(140).endsWith("…");
  }

  @Test
  void a_check_run_carries_the_title_summary_conclusion_and_annotations() throws Exception {
    CommitReportResult r =
        api.client().report(REPO, report(Optional.of("Merge gate"), GateStatus.BLOCKED, 2));

    assertThat(r.kind()).isEqualTo(CommitReportResult.Kind.CHECK_RUN);
    assertThat(r.url()).contains("https://github.com/octo-org/shop/runs/4");
    JsonNode b = body(wm.findAll(postRequestedFor(urlPathEqualTo(CHECK_RUNS))).get(0));
    assertThat(b.get("name").asText()).isEqualTo("Merge gate");
    assertThat(b.get("head_sha").asText()).isEqualTo(HEAD_SHA);
    assertThat(b.get("status").asText()).isEqualTo("completed");
    assertThat(b.get("conclusion").asText()).isEqualTo("failure");
    assertThat(b.get("external_id").asText()).isEqualTo("tollgate:42:ci");
    assertThat(b.get("details_url").asText()).isEqualTo(RUN_URL);
    assertThat(b.get("output").get("title").asText())
        .isEqualTo("Merge gate: blocked (1 of 8 gates block)");
    assertThat(b.get("output").get("summary").asText()).isEqualTo("### ⛔ Merge gate: blocked");
    JsonNode a = b.get("output").get("annotations").get(0);
    assertThat(a.get("path").asText()).isEqualTo("src/F1.java");
    assertThat(a.get("start_line").asInt()).isEqualTo(1);
    assertThat(a.get("end_line").asInt()).isEqualTo(1);
    assertThat(a.get("start_column").asInt()).isEqualTo(3);
    assertThat(a.get("annotation_level").asText()).isEqualTo("failure");
    assertThat(a.get("title").asText()).isEqualTo("secrets");
    assertThat(a.get("message").asText()).isEqualTo("finding 1\n\nNext step: remove it.");
    wm.verify(exactly(0), postRequestedFor(urlPathEqualTo(STATUSES)));
  }

  @Test
  void more_than_fifty_annotations_go_in_batches_of_fifty_through_updates() throws Exception {
    api.client().report(REPO, report(Optional.of("Merge gate"), GateStatus.BLOCKED, 120));

    List<LoggedRequest> create = wm.findAll(postRequestedFor(urlPathEqualTo(CHECK_RUNS)));
    List<LoggedRequest> updates = wm.findAll(patchRequestedFor(urlPathEqualTo(CHECK_RUNS + "/4")));
    assertThat(create).hasSize(1);
    assertThat(updates).hasSize(2);
    List<Integer> sizes = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (LoggedRequest r : concat(create, updates)) {
      JsonNode annotations = body(r).get("output").get("annotations");
      sizes.add(annotations.size());
      annotations.forEach(a -> paths.add(a.get("path").asText()));
    }
    assertThat(sizes).containsExactly(50, 50, 20);
    assertThat(paths)
        .containsExactlyElementsOf(
            IntStream.rangeClosed(1, 120).mapToObj(i -> "src/F" + i + ".java").toList());
  }

  private static List<LoggedRequest> concat(List<LoggedRequest> a, List<LoggedRequest> b) {
    List<LoggedRequest> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  @Test
  void a_token_without_checks_write_falls_back_to_a_commit_status() {
    wm.stubFor(
        post(urlPathEqualTo(CHECK_RUNS))
            .willReturn(
                json(
                    403,
                    GithubApi.notAccessible(
                        "https://docs.github.com/rest/checks/runs#create-a-check-run"))));

    CommitReportResult r =
        api.client().report(REPO, report(Optional.of("Merge gate"), GateStatus.BLOCKED, 1));

    assertThat(r.kind()).isEqualTo(CommitReportResult.Kind.STATUS);
    assertThat(r.note().orElseThrow())
        .contains("may not create check runs")
        .contains("checks: write")
        .contains("tollgate/ci/gate");
    wm.verify(exactly(1), postRequestedFor(urlPathEqualTo(STATUSES)));
  }

  @Test
  void a_read_only_fork_token_is_not_permitted_for_the_status_and_does_not_throw() {
    wm.stubFor(
        post(urlPathEqualTo(STATUSES))
            .willReturn(
                json(
                    403,
                    GithubApi.notAccessible(
                        "https://docs.github.com/rest/commits/statuses#create-a-commit-status"))));

    CommitReportResult r =
        api.client().report(REPO, report(Optional.empty(), GateStatus.BLOCKED, 1));

    assertThat(r.kind()).isEqualTo(CommitReportResult.Kind.NOT_PERMITTED);
    assertThat(r.note().orElseThrow()).contains("Resource not accessible by integration");
  }

  @Test
  void a_status_whose_answer_was_lost_is_read_back_not_posted_twice() {
    wm.stubFor(
        post(urlPathEqualTo(STATUSES))
            .inScenario("lost")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("landed")
            .willReturn(json(502, "{\"message\":\"Server Error\"}")));
    wm.stubFor(get(urlPathEqualTo(STATUSES)).willReturn(ok("[" + status("failure") + "]")));

    api.client().report(REPO, report(Optional.empty(), GateStatus.BLOCKED, 1));

    wm.verify(exactly(1), postRequestedFor(urlPathEqualTo(STATUSES)));
  }

  @Test
  void a_check_run_whose_answer_was_lost_is_found_by_its_external_id_and_completed() {
    wm.stubFor(
        post(urlPathEqualTo(CHECK_RUNS))
            .willReturn(json(503, "{\"message\":\"Service Unavailable\"}")));
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/commits/" + HEAD_SHA + "/check-runs"))
            .willReturn(ok("{\"total_count\":1,\"check_runs\":[" + checkRun(4) + "]}")));

    CommitReportResult r =
        api.client().report(REPO, report(Optional.of("Merge gate"), GateStatus.BLOCKED, 1));

    assertThat(r.kind()).isEqualTo(CommitReportResult.Kind.CHECK_RUN);
    wm.verify(exactly(1), postRequestedFor(urlPathEqualTo(CHECK_RUNS)));
    wm.verify(exactly(1), patchRequestedFor(urlPathEqualTo(CHECK_RUNS + "/4")));
  }
}
