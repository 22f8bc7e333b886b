package dev.tollgate.actions.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tollgate.actions.report.JsonText;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sticky comment against a WireMock GitHub: one comment per key, edited in place. */
class StickyCommentTest {
  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final int PR = 7;
  private static final String COMMENTS = REPO_PATH + "/issues/" + PR + "/comments";
  private static final CommentKey KEY = CommentKey.of("ci/gate");
  private static final String MARKER = CommentMarker.of(KEY);
  private static final String BOT = GithubClient.ACTIONS_BOT;

  private GithubApi api;

  @BeforeEach
  void stubs() {
    api = new GithubApi(wm);
    api.stubRepository();
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/pulls/" + PR))
            .willReturn(
                ok(
                    JsonText.pretty(
                        api.pullRequest(PR, "BF-1 Fix", "bf/BF-1", HEAD_SHA, List.of())))));
    // A workflow's GITHUB_TOKEN cannot read GET /user.
    wm.stubFor(
        get(urlPathEqualTo("/user"))
            .willReturn(
                json(
                    403,
                    GithubApi.notAccessible(
                        "https://docs.github.com/rest/users/users#get-the-authenticated-user"))));
    wm.stubFor(
        post(urlPathEqualTo(COMMENTS))
            .willReturn(json(201, JsonText.pretty(api.comment(PR, 900, BOT, MARKER + "\nnew")))));
    wm.stubFor(
        patch(urlPathEqualTo(REPO_PATH + "/issues/comments/100"))
            .willReturn(ok(JsonText.pretty(api.comment(PR, 100, BOT, MARKER + "\nedited")))));
    wm.stubFor(delete(anyUrl()).willReturn(aResponse().withStatus(204)));
  }

  private void listComments(String body) {
    wm.stubFor(get(urlPathEqualTo(COMMENTS)).willReturn(ok(body)));
  }

  private static CommentRequest request(String markdown) {
    return CommentRequest.always(PR, KEY, CommentMode.UPDATE, CommentBody.of(markdown));
  }

  private static String sentBody(LoggedRequest r) throws Exception {
    JsonNode json = JsonText.mapper().readTree(r.getBodyAsString());
    return json.get("body").asText();
  }

  private static List<LoggedRequest> posts() {
    return wm.findAll(postRequestedFor(urlPathEqualTo(COMMENTS)));
  }

  @Test
  void creates_the_comment_with_the_marker_when_there_is_none() throws Exception {
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .inScenario("create")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(ok("[]")));
    wm.stubFor(
        post(urlPathEqualTo(COMMENTS))
            .inScenario("create")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("posted")
            .willReturn(
                json(201, JsonText.pretty(api.comment(PR, 900, BOT, MARKER + "\n# Report")))));
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .inScenario("create")
            .whenScenarioStateIs("posted")
            .willReturn(ok(api.comments(api.comment(PR, 900, BOT, MARKER + "\n# Report")))));

    CommentResult r = api.client().comment(REPO, request("# Report"));

    assertThat(r.action()).isEqualTo(CommentResult.Action.CREATED);
    assertThat(r.url()).contains("https://github.com/octo-org/shop/pull/7#issuecomment-900");
    assertThat(posts()).hasSize(1);
    assertThat(sentBody(posts().get(0))).isEqualTo(MARKER + "\n# Report");
    wm.verify(exactly(0), deleteRequestedFor(anyUrl()));
  }

  @Test
  void a_first_run_never_asks_for_the_tokens_login_the_created_comment_tells_it() {
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .inScenario("first")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(ok(api.comments(api.comment(PR, 50, "octocat", "LGTM")))));
    wm.stubFor(
        post(urlPathEqualTo(COMMENTS))
            .inScenario("first")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("posted")
            .willReturn(json(201, JsonText.pretty(api.comment(PR, 900, BOT, MARKER + "\nr")))));
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .inScenario("first")
            .whenScenarioStateIs("posted")
            .willReturn(
                ok(
                    api.comments(
                        api.comment(PR, 50, "octocat", "LGTM"),
                        api.comment(PR, 900, BOT, MARKER + "\nr")))));
    GithubClient client = api.client();

    CommentResult r = client.comment(REPO, request("r"));

    assertThat(r.action()).isEqualTo(CommentResult.Action.CREATED);
    assertThat(r.duplicatesDeleted()).isZero();
    // No marked comment before posting, and the posted one names its author: no GET /user.
    wm.verify(exactly(0), getRequestedFor(urlPathEqualTo("/user")));
    assertThat(client.identity(REPO)).isEqualTo(BOT);
    wm.verify(exactly(0), getRequestedFor(urlPathEqualTo("/user")));
  }

  @Test
  void the_comment_is_found_on_a_later_page_of_the_conversation_and_not_posted_again()
      throws Exception {
    // A long conversation: 100 comments on the first page, the marked one on the second.
    ObjectNode[] first = new ObjectNode[100];
    for (int i = 0; i < first.length; i++) {
      first[i] = api.comment(PR, 1_000 + i, i % 2 == 0 ? "octocat" : BOT, "comment " + i);
    }
    String page2 = api.base() + COMMENTS + "?per_page=100&page=2";
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .withQueryParam("page", absent())
            .willReturn(
                ok(api.comments(first))
                    .withHeader(
                        "Link", "<" + page2 + ">; rel=\"next\", <" + page2 + ">; rel=\"last\"")));
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .withQueryParam("page", equalTo("2"))
            .willReturn(
                ok(
                    api.comments(
                        api.comment(PR, 100, BOT, MARKER + "\nold"),
                        api.comment(PR, 2_000, "octocat", "thanks")))));

    CommentResult r = api.client().comment(REPO, request("new"));

    assertThat(r.action()).isEqualTo(CommentResult.Action.UPDATED);
    assertThat(r.url()).contains("https://github.com/octo-org/shop/pull/7#issuecomment-100");
    assertThat(posts()).isEmpty();
    wm.verify(
        exactly(1), getRequestedFor(urlPathEqualTo(COMMENTS)).withQueryParam("page", equalTo("2")));
    List<LoggedRequest> edits =
        wm.findAll(patchRequestedFor(urlPathEqualTo(REPO_PATH + "/issues/comments/100")));
    assertThat(edits).hasSize(1);
    assertThat(sentBody(edits.get(0))).isEqualTo(MARKER + "\nnew");
  }

  @Test
  void with_the_event_payload_neither_the_repository_nor_the_pull_request_is_read()
      throws Exception {
    // A real pull_request payload (octokit/webhooks): Codertocat/Hello-World, pull request #2.
    String payload = Corpus.read("events/pull_request.synchronize.json");
    String comments = "/repos/Codertocat/Hello-World/issues/2/comments";
    wm.stubFor(
        get(urlPathEqualTo(comments))
            .willReturn(ok(api.comments(api.comment(2, 100, BOT, MARKER + "\nold")))));
    wm.stubFor(
        patch(urlPathEqualTo("/repos/Codertocat/Hello-World/issues/comments/100"))
            .willReturn(ok(JsonText.pretty(api.comment(2, 100, BOT, MARKER + "\nnew")))));
    GithubClient client =
        GithubClient.builder()
            .apiUrl(java.net.URI.create(api.base()))
            .token(GithubToken.of("ghs_x"))
            .sleeper(api.waits::add)
            .commentAuthor(BOT)
            .eventPayload("pull_request", payload)
            .build();

    CommentResult r =
        client.comment(
            RepositoryName.parse("Codertocat/Hello-World"),
            CommentRequest.always(2, KEY, CommentMode.UPDATE, CommentBody.of("new")));

    assertThat(r.action()).isEqualTo(CommentResult.Action.UPDATED);
    assertThat(wm.getAllServeEvents())
        .extracting(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl())
        .containsExactlyInAnyOrder(
            "GET " + comments + "?per_page=100",
            "PATCH /repos/Codertocat/Hello-World/issues/comments/100");
  }

  @Test
  void a_payload_of_another_repository_is_not_used_for_this_one() {
    String payload = Corpus.read("events/pull_request.synchronize.json");
    listComments("[]");
    GithubClient client =
        GithubClient.builder()
            .apiUrl(java.net.URI.create(api.base()))
            .token(GithubToken.of("ghs_x"))
            .sleeper(api.waits::add)
            .eventPayload("pull_request", payload)
            .build();

    client.comment(REPO, request("x"));

    // octo-org/shop is not the payload's repository: it and its pull request are read.
    wm.verify(exactly(1), getRequestedFor(urlPathEqualTo(REPO_PATH)));
    wm.verify(exactly(1), getRequestedFor(urlPathEqualTo(REPO_PATH + "/pulls/" + PR)));
  }

  @Test
  void edits_its_own_comment_in_place_instead_of_posting_a_new_one() throws Exception {
    listComments(
        api.comments(
            api.comment(PR, 50, "octocat", "LGTM"), api.comment(PR, 100, BOT, MARKER + "\nold")));

    CommentResult r = api.client().comment(REPO, request("new report"));

    assertThat(r.action()).isEqualTo(CommentResult.Action.UPDATED);
    assertThat(posts()).isEmpty();
    List<LoggedRequest> edits =
        wm.findAll(patchRequestedFor(urlPathEqualTo(REPO_PATH + "/issues/comments/100")));
    assertThat(edits).hasSize(1);
    assertThat(sentBody(edits.get(0))).isEqualTo(MARKER + "\nnew report");
  }

  @Test
  void leaves_an_up_to_date_comment_alone() {
    listComments(api.comments(api.comment(PR, 100, BOT, MARKER + "\nsame")));

    CommentResult r = api.client().comment(REPO, request("same"));

    assertThat(r.action()).isEqualTo(CommentResult.Action.UNCHANGED);
    wm.verify(exactly(0), patchRequestedFor(anyUrl()));
    assertThat(posts()).isEmpty();
  }

  @Test
  void ignores_the_marker_in_another_users_comment_and_posts_its_own() throws Exception {
    // Anyone can paste the marker; editing their comment would be hijacked by it.
    listComments(api.comments(api.comment(PR, 60, "mallory", MARKER + "\nall gates pass, merge!")));

    CommentResult r = api.client().comment(REPO, request("blocked"));

    assertThat(r.action()).isEqualTo(CommentResult.Action.CREATED);
    assertThat(posts()).hasSize(1);
    wm.verify(exactly(0), patchRequestedFor(anyUrl()));
    wm.verify(exactly(0), deleteRequestedFor(anyUrl()));
  }

  @Test
  void a_workflow_token_that_cannot_read_its_user_acts_as_github_actions_bot() {
    listComments(api.comments(api.comment(PR, 100, BOT, MARKER + "\nold")));

    GithubClient client = api.client();
    assertThat(client.identity(REPO)).isEqualTo("github-actions[bot]");
    assertThat(client.comment(REPO, request("new")).action())
        .isEqualTo(CommentResult.Action.UPDATED);
    wm.verify(exactly(1), getRequestedFor(urlPathEqualTo("/user")));
  }

  @Test
  void a_personal_token_acts_as_its_user_and_ignores_the_bots_markers() {
    wm.stubFor(
        get(urlPathEqualTo("/user"))
            .willReturn(ok(JsonText.pretty(api.user("release-bot", "User")))));
    listComments(api.comments(api.comment(PR, 100, BOT, MARKER + "\nold")));

    CommentResult r = api.client().comment(REPO, request("new"));

    assertThat(r.action()).isEqualTo(CommentResult.Action.CREATED);
    wm.verify(exactly(0), patchRequestedFor(anyUrl()));
  }

  @Test
  void a_configured_comment_author_is_used_without_asking_github() {
    listComments(api.comments(api.comment(PR, 100, "my-app[bot]", MARKER + "\nold")));
    wm.stubFor(
        patch(urlPathEqualTo(REPO_PATH + "/issues/comments/100"))
            .willReturn(ok(JsonText.pretty(api.comment(PR, 100, "my-app[bot]", MARKER + "\nx")))));
    GithubClient client =
        GithubClient.builder()
            .apiUrl(java.net.URI.create(api.base()))
            .token(GithubToken.of("ghs_x"))
            .sleeper(api.waits::add)
            .commentAuthor("my-app[bot]")
            .build();

    assertThat(client.comment(REPO, request("x")).action()).isEqualTo(CommentResult.Action.UPDATED);
    wm.verify(exactly(0), getRequestedFor(urlPathEqualTo("/user")));
  }

  @Test
  void after_two_runs_raced_to_create_only_the_oldest_comment_is_kept_with_this_runs_text()
      throws Exception {
    // This run lists no comment, posts #200; another run had posted #150 meanwhile.
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .inScenario("race")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(ok("[]")));
    wm.stubFor(
        post(urlPathEqualTo(COMMENTS))
            .inScenario("race")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("raced")
            .willReturn(json(201, JsonText.pretty(api.comment(PR, 200, BOT, MARKER + "\nmine")))));
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .inScenario("race")
            .whenScenarioStateIs("raced")
            .willReturn(
                ok(
                    api.comments(
                        api.comment(PR, 150, BOT, MARKER + "\ntheirs"),
                        api.comment(PR, 200, BOT, MARKER + "\nmine")))));
    wm.stubFor(
        patch(urlPathEqualTo(REPO_PATH + "/issues/comments/150"))
            .willReturn(ok(JsonText.pretty(api.comment(PR, 150, BOT, MARKER + "\nmine")))));

    CommentResult r = api.client().comment(REPO, request("mine"));

    assertThat(r.action()).isEqualTo(CommentResult.Action.UPDATED);
    assertThat(r.duplicatesDeleted()).isEqualTo(1);
    assertThat(r.url()).contains("https://github.com/octo-org/shop/pull/7#issuecomment-150");
    wm.verify(exactly(1), deleteRequestedFor(urlPathEqualTo(REPO_PATH + "/issues/comments/200")));
    List<LoggedRequest> edits =
        wm.findAll(patchRequestedFor(urlPathEqualTo(REPO_PATH + "/issues/comments/150")));
    assertThat(edits).hasSize(1);
    assertThat(sentBody(edits.get(0))).isEqualTo(MARKER + "\nmine");
  }

  @Test
  void duplicates_left_by_earlier_runs_are_deleted_when_updating() {
    listComments(
        api.comments(
            api.comment(PR, 100, BOT, MARKER + "\na"),
            api.comment(PR, 101, BOT, MARKER + "\nb"),
            api.comment(PR, 102, BOT, CommentMarker.of(CommentKey.of("other/job")) + "\nc")));

    CommentResult r = api.client().comment(REPO, request("new"));

    assertThat(r.action()).isEqualTo(CommentResult.Action.UPDATED);
    assertThat(r.duplicatesDeleted()).isEqualTo(1);
    wm.verify(exactly(1), deleteRequestedFor(urlPathEqualTo(REPO_PATH + "/issues/comments/101")));
    wm.verify(exactly(0), deleteRequestedFor(urlPathEqualTo(REPO_PATH + "/issues/comments/102")));
  }

  @Test
  void a_body_over_githubs_limit_falls_back_to_a_less_detailed_version() throws Exception {
    listComments("[]");
    String huge = "| row |\n".repeat(20_000);
    CommentBody body =
        CommentBody.of(List.of(huge, "short version"), Optional.of("https://example.test/run/1"));

    api.client().comment(REPO, CommentRequest.always(PR, KEY, CommentMode.UPDATE, body));

    assertThat(sentBody(posts().get(0))).isEqualTo(MARKER + "\nshort version");
  }

  @Test
  void a_body_with_no_version_that_fits_is_cut_at_a_line_and_links_the_job_summary()
      throws Exception {
    listComments("[]");
    String huge = "| ❌ error | a finding with some words |\n".repeat(10_000);
    CommentBody body = CommentBody.of(List.of(huge), Optional.of("https://example.test/run/1"));

    api.client().comment(REPO, CommentRequest.always(PR, KEY, CommentMode.UPDATE, body));

    String sent = sentBody(posts().get(0));
    assertThat(sent.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(CommentBody.GITHUB_COMMENT_LIMIT);
    assertThat(sent).startsWith(MARKER + "\n| ❌ error |");
    assertThat(sent)
        .endsWith("The full report is in the [job summary](https://example.test/run/1)._\n");
    assertThat(sent).contains("|\n\n_Cut to fit GitHub's size limit.").doesNotContain("\n\n\n");
  }

  private static CommentRequest passing(PassingComment onPass) {
    return new CommentRequest(
        PR, KEY, CommentMode.UPDATE, onPass, true, CommentBody.of("details"), "✅ all pass");
  }

  @Test
  void once_every_gate_passes_the_comment_shrinks_to_a_short_verdict() throws Exception {
    listComments(api.comments(api.comment(PR, 100, BOT, MARKER + "\n⛔ blocked")));

    CommentResult r = api.client().comment(REPO, passing(PassingComment.UPDATE));

    assertThat(r.action()).isEqualTo(CommentResult.Action.UPDATED);
    List<LoggedRequest> edits = wm.findAll(patchRequestedFor(anyUrl()));
    assertThat(sentBody(edits.get(0))).isEqualTo(MARKER + "\n✅ all pass");
  }

  @Test
  void a_pull_request_that_passes_on_its_first_run_gets_no_comment() {
    listComments("[]");

    CommentResult r = api.client().comment(REPO, passing(PassingComment.UPDATE));

    assertThat(r.action()).isEqualTo(CommentResult.Action.NONE);
    assertThat(posts()).isEmpty();
  }

  @Test
  void on_pass_delete_removes_the_comment() {
    listComments(api.comments(api.comment(PR, 100, BOT, MARKER + "\n⛔ blocked")));

    CommentResult r = api.client().comment(REPO, passing(PassingComment.DELETE));

    assertThat(r.action()).isEqualTo(CommentResult.Action.DELETED);
    wm.verify(exactly(1), deleteRequestedFor(urlPathEqualTo(REPO_PATH + "/issues/comments/100")));
    assertThat(posts()).isEmpty();
  }

  @Test
  void recreate_deletes_the_old_comment_and_posts_a_new_one() {
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .inScenario("recreate")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(ok(api.comments(api.comment(PR, 100, BOT, MARKER + "\nold")))));
    wm.stubFor(
        delete(urlPathEqualTo(REPO_PATH + "/issues/comments/100"))
            .inScenario("recreate")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("deleted")
            .willReturn(aResponse().withStatus(204)));
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .inScenario("recreate")
            .whenScenarioStateIs("deleted")
            .willReturn(ok(api.comments(api.comment(PR, 900, BOT, MARKER + "\nnew")))));

    CommentResult r =
        api.client()
            .comment(
                REPO, CommentRequest.always(PR, KEY, CommentMode.RECREATE, CommentBody.of("new")));

    assertThat(r.action()).isEqualTo(CommentResult.Action.RECREATED);
    wm.verify(exactly(1), deleteRequestedFor(urlPathEqualTo(REPO_PATH + "/issues/comments/100")));
    assertThat(posts()).hasSize(1);
  }

  @Test
  void comment_off_sends_nothing() {
    CommentResult r =
        api.client()
            .comment(REPO, CommentRequest.always(PR, KEY, CommentMode.OFF, CommentBody.of("x")));

    assertThat(r.action()).isEqualTo(CommentResult.Action.NONE);
    wm.verify(exactly(0), anyRequestedFor(anyUrl()));
  }

  @Test
  void a_read_only_fork_token_is_not_permitted_and_does_not_throw() {
    listComments("[]");
    wm.stubFor(
        post(urlPathEqualTo(COMMENTS))
            .willReturn(
                json(
                    403,
                    GithubApi.notAccessible(
                        "https://docs.github.com/rest/issues/comments#create-an-issue-comment"))));

    CommentResult r = api.client().comment(REPO, request("x"));

    assertThat(r.action()).isEqualTo(CommentResult.Action.NOT_PERMITTED);
    assertThat(r.note().orElseThrow()).contains("Resource not accessible by integration");
  }

  @Test
  void a_post_whose_answer_was_lost_is_not_repeated_when_the_comment_landed() {
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .inScenario("lost")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(ok("[]")));
    wm.stubFor(
        post(urlPathEqualTo(COMMENTS))
            .inScenario("lost")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("landed")
            .willReturn(json(502, "{\"message\":\"Server Error\"}")));
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .inScenario("lost")
            .whenScenarioStateIs("landed")
            .willReturn(ok(api.comments(api.comment(PR, 300, BOT, MARKER + "\nreport")))));

    CommentResult r = api.client().comment(REPO, request("report"));

    assertThat(posts()).hasSize(1);
    assertThat(api.waits).isEmpty();
    assertThat(r.action()).isEqualTo(CommentResult.Action.CREATED);
    assertThat(r.url()).contains("https://github.com/octo-org/shop/pull/7#issuecomment-300");
  }

  @Test
  void a_post_whose_answer_was_lost_is_posted_once_more_when_nothing_landed() {
    wm.stubFor(
        post(urlPathEqualTo(COMMENTS))
            .inScenario("lost")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("failed once")
            .willReturn(json(504, "{\"message\":\"Gateway Timeout\"}")));
    wm.stubFor(
        post(urlPathEqualTo(COMMENTS))
            .inScenario("lost")
            .whenScenarioStateIs("failed once")
            .willSetStateTo("posted")
            .willReturn(
                json(201, JsonText.pretty(api.comment(PR, 301, BOT, MARKER + "\nreport")))));
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .inScenario("lost")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(ok("[]")));
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .inScenario("lost")
            .whenScenarioStateIs("failed once")
            .willReturn(ok("[]")));
    wm.stubFor(
        get(urlPathEqualTo(COMMENTS))
            .inScenario("lost")
            .whenScenarioStateIs("posted")
            .willReturn(ok(api.comments(api.comment(PR, 301, BOT, MARKER + "\nreport")))));

    CommentResult r = api.client().comment(REPO, request("report"));

    assertThat(posts()).hasSize(2);
    assertThat(r.action()).isEqualTo(CommentResult.Action.CREATED);
  }

  @Test
  void a_post_whose_connection_dropped_is_not_repeated_blindly_by_any_layer() {
    // A transport that repeated requests whose socket failed would post twice here.
    wm.stubFor(
        post(urlPathEqualTo(COMMENTS))
            .inScenario("dropped")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("dropped once")
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    wm.stubFor(
        post(urlPathEqualTo(COMMENTS))
            .inScenario("dropped")
            .whenScenarioStateIs("dropped once")
            .willReturn(json(201, JsonText.pretty(api.comment(PR, 302, BOT, MARKER + "\nr")))));
    listComments("[]");

    api.client().comment(REPO, request("r"));

    // A post whose answer was lost, a look at the comments (nothing there), one more post, and
    // the look that checks for racing copies: never a post without a look before it.
    assertThat(posts()).hasSize(2);
    wm.verify(exactly(3), getRequestedFor(urlPathEqualTo(COMMENTS)));
  }

  @Test
  void a_rejected_token_is_an_error_that_says_so() {
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH))
            .willReturn(
                json(
                    401,
                    "{\"message\":\"Bad credentials\",\"documentation_url\":"
                        + "\"https://docs.github.com/rest\",\"status\":\"401\"}")));

    assertThatThrownBy(() -> api.client().comment(REPO, request("x")))
        .isInstanceOfSatisfying(
            GithubApiException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(GithubApiException.Reason.UNAUTHORIZED);
              assertThat(e.kind())
                  .isEqualTo(dev.tollgate.core.TollgateException.Kind.COULD_NOT_FINISH);
            })
        .hasMessageStartingWith(
            "GitHub rejected the token while reading repository octo-org/shop (401 Bad"
                + " credentials)");
  }
}
