package dev.tollgate.actions.github;

import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
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

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.tollgate.actions.report.JsonText;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bounded retries: which answers are waited out, for how long, and which never are. The client's
 * waits are recorded, not slept, so these tests take no time.
 */
class RetryTest {
  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private GithubApi api;

  @BeforeEach
  void setUp() {
    api = new GithubApi(wm);
    api.stubRepository();
  }

  /** GET /user answers {@code first}, then 200 with a login. */
  private void userAnswers(ResponseDefinitionBuilder first) {
    wm.stubFor(
        get(urlPathEqualTo("/user"))
            .inScenario("retry")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("recovered")
            .willReturn(first));
    wm.stubFor(
        get(urlPathEqualTo("/user"))
            .inScenario("retry")
            .whenScenarioStateIs("recovered")
            .willReturn(ok(JsonText.pretty(api.user("release-bot", "User")))));
  }

  @Test
  void a_bad_gateway_on_a_read_is_retried_after_the_backoff() {
    userAnswers(json(502, "{\"message\":\"Server Error\"}"));

    assertThat(api.client().identity(REPO)).isEqualTo("release-bot");

    wm.verify(exactly(2), getRequestedFor(urlPathEqualTo("/user")));
    assertThat(api.waits).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void retry_after_is_honoured() {
    userAnswers(json(503, "{\"message\":\"Service Unavailable\"}").withHeader("Retry-After", "7"));

    assertThat(api.client().identity(REPO)).isEqualTo("release-bot");

    assertThat(api.waits).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void a_secondary_rate_limit_without_hints_is_waited_out_for_a_minute() {
    userAnswers(
        json(
            403,
            "{\"message\":\"You have exceeded a secondary rate limit. Please wait a few minutes"
                + " before you try again.\",\"documentation_url\":"
                + "\"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api\"}"));

    assertThat(api.client().identity(REPO)).isEqualTo("release-bot");

    assertThat(api.waits).containsExactly(Duration.ofMinutes(1));
  }

  @Test
  void a_secondary_rate_limit_with_retry_after_is_waited_out_for_as_long_as_it_says() {
    userAnswers(
        json(
                403,
                "{\"message\":\"You have exceeded a secondary rate limit. Please wait a few"
                    + " minutes before you try again.\",\"documentation_url\":"
                    + "\"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api\"}")
            .withHeader("Retry-After", "12"));

    assertThat(api.client().identity(REPO)).isEqualTo("release-bot");

    wm.verify(exactly(2), getRequestedFor(urlPathEqualTo("/user")));
    assertThat(api.waits).containsExactly(Duration.ofSeconds(12));
  }

  @Test
  void a_spent_primary_rate_limit_is_waited_out_until_its_reset() {
    long reset = GithubApi.NOW.plusSeconds(30).getEpochSecond();
    userAnswers(
        json(403, "{\"message\":\"API rate limit exceeded for installation ID 1.\"}")
            .withHeader("X-RateLimit-Remaining", "0")
            .withHeader("X-RateLimit-Reset", Long.toString(reset)));

    assertThat(api.client().identity(REPO)).isEqualTo("release-bot");

    assertThat(api.waits).containsExactly(Duration.ofSeconds(31));
  }

  @Test
  void a_rate_limited_post_is_repeated_because_github_did_not_act_on_it() {
    String comments = REPO_PATH + "/issues/7/comments";
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/pulls/7"))
            .willReturn(
                ok(JsonText.pretty(api.pullRequest(7, "t", "bf/BF-1", HEAD_SHA, List.of())))));
    wm.stubFor(get(urlPathEqualTo(comments)).willReturn(ok("[]")));
    wm.stubFor(
        post(urlPathEqualTo(comments))
            .inScenario("limited")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("cleared")
            .willReturn(
                json(429, "{\"message\":\"You have exceeded a secondary rate limit.\"}")
                    .withHeader("Retry-After", "3")));
    wm.stubFor(
        post(urlPathEqualTo(comments))
            .inScenario("limited")
            .whenScenarioStateIs("cleared")
            .willReturn(json(201, JsonText.pretty(api.comment(7, 5, "x", "y")))));

    GithubClient client =
        GithubClient.builder()
            .apiUrl(java.net.URI.create(api.base()))
            .token(GithubToken.of("t"))
            .sleeper(api.waits::add)
            .commentAuthor("github-actions[bot]")
            .build();
    client.comment(
        REPO,
        CommentRequest.always(7, CommentKey.of("k"), CommentMode.UPDATE, CommentBody.of("b")));

    wm.verify(exactly(2), postRequestedFor(urlPathEqualTo(comments)));
    assertThat(api.waits).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void a_wait_beyond_the_total_bound_is_not_started_and_the_failure_stands() {
    wm.stubFor(
        get(urlPathEqualTo("/user"))
            .willReturn(
                json(503, "{\"message\":\"Service Unavailable\"}")
                    .withHeader("Retry-After", "600")));

    assertThatThrownBy(() -> api.client().identity(REPO))
        .isInstanceOfSatisfying(
            GithubApiException.class,
            e -> assertThat(e.reason()).isEqualTo(GithubApiException.Reason.SERVER_ERROR))
        .hasMessageContaining("(503 Service Unavailable)");
    wm.verify(exactly(1), getRequestedFor(urlPathEqualTo("/user")));
    assertThat(api.waits).isEmpty();
  }

  @Test
  void waits_add_up_to_the_bound_across_attempts() {
    wm.stubFor(
        get(urlPathEqualTo("/user"))
            .willReturn(
                json(502, "{\"message\":\"Server Error\"}").withHeader("Retry-After", "50")));

    RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(120), Duration.ofSeconds(1));
    assertThatThrownBy(() -> api.client(policy).identity(REPO))
        .isInstanceOf(GithubApiException.class);

    assertThat(api.waits).containsExactly(Duration.ofSeconds(50), Duration.ofSeconds(50));
    wm.verify(exactly(3), getRequestedFor(urlPathEqualTo("/user")));
  }

  @Test
  void attempts_stop_at_the_maximum_with_doubling_backoff() {
    wm.stubFor(get(urlPathEqualTo("/user")).willReturn(json(504, "{\"message\":\"Timeout\"}")));

    RetryPolicy policy = new RetryPolicy(3, Duration.ofMinutes(10), Duration.ofSeconds(1));
    assertThatThrownBy(() -> api.client(policy).identity(REPO))
        .isInstanceOfSatisfying(
            GithubApiException.class, e -> assertThat(e.status()).hasValue(504));

    wm.verify(exactly(3), getRequestedFor(urlPathEqualTo("/user")));
    assertThat(api.waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void a_permission_refusal_is_never_retried() {
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/contents/.tollgate/policy.yml"))
            .willReturn(json(403, GithubApi.notAccessible("https://docs.github.com/rest"))));

    assertThatThrownBy(() -> api.client().file(REPO, ".tollgate/policy.yml", HEAD_SHA))
        .isInstanceOfSatisfying(
            GithubApiException.class, e -> assertThat(e.notPermitted()).isTrue());
    assertThat(api.waits).isEmpty();
  }
}
