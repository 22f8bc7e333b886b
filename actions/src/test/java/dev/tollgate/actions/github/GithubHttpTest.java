package dev.tollgate.actions.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
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

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.actions.report.JsonText;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The transport under {@link GithubClient}: a GitHub Enterprise Server's API below a path, the
 * headers every request carries (PATCH, which goes another way, included), redirects, error answers
 * and a server that does not answer at all.
 */
class GithubHttpTest {
  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @RegisterExtension
  static WireMockExtension other =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String TOKEN = "ghs_testtoken0123456789";
  private static final String GHE = "/api/v3";

  private GithubApi api;

  @BeforeEach
  void setUp() {
    api = new GithubApi(wm);
  }

  private GithubClient client(String apiUrl) {
    return GithubClient.builder()
        .apiUrl(URI.create(apiUrl))
        .token(GithubToken.of(TOKEN))
        .sleeper(api.waits::add)
        .requestTimeout(Duration.ofSeconds(10))
        .build();
  }

  @Test
  void an_enterprise_servers_api_below_a_path_is_addressed_there_with_every_header() {
    wm.stubFor(
        get(urlPathEqualTo(GHE + REPO_PATH)).willReturn(ok(JsonText.pretty(api.repository()))));
    wm.stubFor(
        get(urlPathEqualTo(GHE + REPO_PATH + "/pulls/7"))
            .willReturn(
                ok(JsonText.pretty(api.pullRequest(7, "t", "bf/BF-1", HEAD_SHA, List.of())))));
    wm.stubFor(
        get(urlPathEqualTo(GHE + REPO_PATH + "/issues/7/comments"))
            .willReturn(
                ok(
                    api.comments(
                        api.comment(
                            7,
                            11,
                            "github-actions[bot]",
                            CommentMarker.of(CommentKey.of("k")) + "\nold")))));
    wm.stubFor(
        patch(urlPathEqualTo(GHE + REPO_PATH + "/issues/comments/11"))
            .willReturn(ok(JsonText.pretty(api.comment(7, 11, "github-actions[bot]", "new")))));

    // A trailing slash, as GITHUB_API_URL may have one.
    CommentResult r =
        GithubClient.builder()
            .apiUrl(URI.create(wm.baseUrl() + GHE + "/"))
            .token(GithubToken.of(TOKEN))
            .commentAuthor("github-actions[bot]")
            .build()
            .comment(
                REPO,
                CommentRequest.always(
                    7, CommentKey.of("k"), CommentMode.UPDATE, CommentBody.of("new")));

    assertThat(r.action()).isEqualTo(CommentResult.Action.UPDATED);
    for (var requested :
        List.of(
            getRequestedFor(urlPathEqualTo(GHE + REPO_PATH + "/issues/7/comments")),
            patchRequestedFor(urlPathEqualTo(GHE + REPO_PATH + "/issues/comments/11")))) {
      wm.verify(
          exactly(1),
          requested
              .withHeader("Authorization", equalTo("Bearer " + TOKEN))
              .withHeader("Accept", equalTo("application/vnd.github+json"))
              .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28"))
              .withHeader("User-Agent", equalTo("tollgate")));
    }
    wm.verify(
        patchRequestedFor(urlPathEqualTo(GHE + REPO_PATH + "/issues/comments/11"))
            .withHeader("Content-Type", equalToIgnoreCase("application/json; charset=utf-8"))
            .withRequestBody(
                equalToJson(
                    "{\"body\":\""
                        + CommentMarker.of(CommentKey.of("k")).replace("\"", "\\\"")
                        + "\\nnew\"}")));
  }

  @Test
  void a_redirect_on_the_same_host_is_followed_with_the_token() {
    wm.stubFor(
        get(urlPathEqualTo("/user"))
            .willReturn(aResponse().withStatus(301).withHeader("Location", "/users/moved")));
    wm.stubFor(
        get(urlPathEqualTo("/users/moved"))
            .willReturn(ok(JsonText.pretty(api.user("release-bot", "User")))));

    assertThat(client(wm.baseUrl()).identity(REPO)).isEqualTo("release-bot");

    wm.verify(
        getRequestedFor(urlPathEqualTo("/users/moved"))
            .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
  }

  @Test
  void a_redirect_to_another_host_is_followed_without_the_token() {
    wm.stubFor(
        get(urlPathEqualTo("/user"))
            .willReturn(
                aResponse()
                    .withStatus(307)
                    .withHeader("Location", other.baseUrl() + "/elsewhere/user")));
    other.stubFor(
        get(urlPathEqualTo("/elsewhere/user"))
            .willReturn(ok(JsonText.pretty(api.user("release-bot", "User")))));

    assertThat(client(wm.baseUrl()).identity(REPO)).isEqualTo("release-bot");

    other.verify(
        getRequestedFor(urlPathEqualTo("/elsewhere/user"))
            .withHeader("Authorization", absent())
            .withHeader("User-Agent", equalTo("tollgate")));
  }

  @Test
  void a_303_after_a_post_is_read_with_a_get() {
    String statuses = REPO_PATH + "/statuses/" + HEAD_SHA;
    api.stubRepository();
    wm.stubFor(
        post(urlPathEqualTo(statuses))
            .willReturn(aResponse().withStatus(303).withHeader("Location", "/status/1")));
    wm.stubFor(get(urlPathEqualTo("/status/1")).willReturn(ok("{\"url\":\"u\"}")));

    CommitReportResult r =
        client(wm.baseUrl())
            .report(
                REPO,
                new CommitReport(
                    HEAD_SHA,
                    "tollgate/k",
                    java.util.Optional.empty(),
                    dev.tollgate.core.gate.GateStatus.PASS,
                    "t",
                    "d",
                    CommentBody.of("s"),
                    List.of(),
                    java.util.Optional.empty(),
                    "id"));

    assertThat(r.kind()).isEqualTo(CommitReportResult.Kind.STATUS);
    wm.verify(exactly(1), postRequestedFor(urlPathEqualTo(statuses)));
    wm.verify(exactly(1), getRequestedFor(urlPathEqualTo("/status/1")));
  }

  @Test
  void a_missing_object_is_not_found_whatever_the_body_says() {
    wm.stubFor(get(urlPathEqualTo(REPO_PATH)).willReturn(json(404, "<html>gone</html>")));

    assertThatThrownBy(() -> client(wm.baseUrl()).pullRequest(REPO, 7))
        .isInstanceOfSatisfying(
            GithubApiException.class,
            e -> assertThat(e.reason()).isEqualTo(GithubApiException.Reason.NOT_FOUND))
        .hasMessage(
            "GitHub found nothing while reading repository octo-org/shop (404 Not Found): it does"
                + " not exist or the token cannot see it");
  }

  @Test
  void an_error_answer_that_is_not_json_is_reported_by_its_first_line() {
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH))
            .willReturn(aResponse().withStatus(422).withBody("bad request\nsecond line")));

    assertThatThrownBy(() -> client(wm.baseUrl()).pullRequest(REPO, 7))
        .isInstanceOfSatisfying(
            GithubApiException.class,
            e -> assertThat(e.reason()).isEqualTo(GithubApiException.Reason.REJECTED))
        .hasMessage("GitHub rejected reading repository octo-org/shop (422 bad request)");
  }

  @Test
  void a_server_that_refuses_connections_is_unreachable_naming_the_request_after_the_retries()
      throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }

    assertThatThrownBy(() -> client("http://127.0.0.1:" + port).identity(REPO))
        .isInstanceOfSatisfying(
            GithubApiException.class,
            e -> assertThat(e.reason()).isEqualTo(GithubApiException.Reason.UNREACHABLE))
        .hasMessageStartingWith(
            "cannot reach GitHub while reading the token's user (GET /user): GET http://127.0.0.1:"
                + port
                + "/user: ");
    // The default policy: four attempts, waiting 1, 2 and 4 s between them.
    assertThat(api.waits)
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
  }
}
