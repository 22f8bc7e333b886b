package dev.tollgate.actions.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.actions.report.JsonText;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A GitHub REST API replayed by WireMock: response bodies shaped like GitHub's documented examples
 * (the REST OpenAPI description's {@code components.examples}, trimmed to the fields that matter),
 * with URLs pointing at the local server, plus a client wired to it that records its waits instead
 * of sleeping.
 */
final class GithubApi {
  static final String OWNER = "octo-org";
  static final String NAME = "shop";
  static final RepositoryName REPO = new RepositoryName(OWNER, NAME);
  static final String REPO_PATH = "/repos/" + OWNER + "/" + NAME;
  static final String BASE_SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
  static final String HEAD_SHA = "e5bd3914e2e596debea16f433f57875b5b90bcd6";
  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  private final WireMockExtension wm;

  /** The waits the client asked for, in order. */
  final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

  GithubApi(WireMockExtension wm) {
    this.wm = wm;
  }

  String base() {
    return wm.baseUrl();
  }

  /** A client on this server with {@code retry}, recording waits. */
  GithubClient client(RetryPolicy retry) {
    return GithubClient.builder()
        .apiUrl(URI.create(base()))
        .token(GithubToken.of("ghs_testtoken0123456789"))
        .retryPolicy(retry)
        .sleeper(waits::add)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .requestTimeout(Duration.ofSeconds(10))
        .build();
  }

  GithubClient client() {
    return client(RetryPolicy.defaults());
  }

  static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withBody(body);
  }

  static ResponseDefinitionBuilder ok(String body) {
    return json(200, body);
  }

  /** GET /repos/{owner}/{repo}, read before anything in a repository no event payload names. */
  void stubRepository() {
    wm.stubFor(get(urlPathEqualTo(REPO_PATH)).willReturn(ok(JsonText.pretty(repository()))));
  }

  ObjectNode repository() {
    ObjectNode r = JsonText.mapper().createObjectNode();
    r.put("id", 1296269);
    r.put("node_id", "MDEwOlJlcG9zaXRvcnkxMjk2MjY5");
    r.put("name", NAME);
    r.put("full_name", OWNER + "/" + NAME);
    r.set("owner", user(OWNER, "Organization"));
    r.put("private", false);
    r.put("html_url", "https://github.com/" + OWNER + "/" + NAME);
    r.put("url", base() + REPO_PATH);
    r.put("default_branch", "main");
    return r;
  }

  ObjectNode user(String login, String type) {
    ObjectNode u = JsonText.mapper().createObjectNode();
    u.put("login", login);
    u.put("id", Math.abs(login.hashCode()));
    u.put("type", type);
    u.put("url", base() + "/users/" + login);
    u.put("html_url", "https://github.com/" + login);
    return u;
  }

  /** A pull request as GET /repos/{owner}/{repo}/pulls/{n} returns it. */
  ObjectNode pullRequest(
      int number, String title, String headRef, String headSha, List<String> labels) {
    ObjectNode p = JsonText.mapper().createObjectNode();
    p.put("url", base() + REPO_PATH + "/pulls/" + number);
    p.put("id", 1000 + number);
    p.put("html_url", "https://github.com/" + OWNER + "/" + NAME + "/pull/" + number);
    p.put("issue_url", base() + REPO_PATH + "/issues/" + number);
    p.put("number", number);
    p.put("state", "open");
    p.put("locked", false);
    p.put("title", title);
    p.set("user", user("octocat", "User"));
    p.putNull("body");
    ArrayNode ls = p.putArray("labels");
    for (String l : labels) {
      ObjectNode label = ls.addObject();
      label.put("id", Math.abs(l.hashCode()));
      label.put("name", l);
      label.put("color", "f29513");
      label.put("default", false);
    }
    p.put("created_at", "2026-11-20T10:00:00Z");
    p.put("updated_at", "2026-11-21T10:00:00Z");
    ObjectNode head = p.putObject("head");
    head.put("label", OWNER + ":" + headRef);
    head.put("ref", headRef);
    head.put("sha", headSha);
    head.set("user", user(OWNER, "Organization"));
    head.set("repo", repository());
    ObjectNode baseRef = p.putObject("base");
    baseRef.put("label", OWNER + ":main");
    baseRef.put("ref", "main");
    baseRef.put("sha", BASE_SHA);
    baseRef.set("user", user(OWNER, "Organization"));
    baseRef.set("repo", repository());
    p.put("merged", false);
    p.putNull("mergeable");
    p.put("mergeable_state", "clean");
    p.put("comments", 0);
    p.put("commits", 1);
    p.put("additions", 3);
    p.put("deletions", 1);
    p.put("changed_files", 1);
    return p;
  }

  /** An issue comment as the comments endpoints return it. */
  ObjectNode comment(int pr, long id, String login, String body) {
    ObjectNode c = JsonText.mapper().createObjectNode();
    c.put("id", id);
    c.put("node_id", "IC_" + id);
    c.put("url", base() + REPO_PATH + "/issues/comments/" + id);
    c.put(
        "html_url",
        "https://github.com/" + OWNER + "/" + NAME + "/pull/" + pr + "#issuecomment-" + id);
    c.put("body", body);
    c.set("user", user(login, login.endsWith("[bot]") ? "Bot" : "User"));
    c.put("created_at", "2026-11-21T10:00:00Z");
    c.put("updated_at", "2026-11-21T10:00:00Z");
    c.put("issue_url", base() + REPO_PATH + "/issues/" + pr);
    c.put("author_association", "NONE");
    return c;
  }

  String comments(ObjectNode... comments) {
    ArrayNode a = JsonText.mapper().createArrayNode();
    for (ObjectNode c : comments) {
      a.add(c);
    }
    return JsonText.pretty(a);
  }

  /** A changed file as GET /pulls/{n}/files lists it. */
  ObjectNode file(String name, String status, int additions, int deletions, String sha) {
    ObjectNode f = JsonText.mapper().createObjectNode();
    f.put("sha", sha);
    f.put("filename", name);
    f.put("status", status);
    f.put("additions", additions);
    f.put("deletions", deletions);
    f.put("changes", additions + deletions);
    f.put(
        "blob_url", "https://github.com/" + OWNER + "/" + NAME + "/blob/" + HEAD_SHA + "/" + name);
    f.put("raw_url", "https://github.com/" + OWNER + "/" + NAME + "/raw/" + HEAD_SHA + "/" + name);
    f.put("contents_url", base() + REPO_PATH + "/contents/" + name + "?ref=" + HEAD_SHA);
    if (additions + deletions > 0) {
      f.put("patch", "@@ -1,1 +1,1 @@\n-old\n+new");
    }
    return f;
  }

  /** A review as GET /pulls/{n}/reviews lists it. */
  ObjectNode review(long id, String login, String state) {
    ObjectNode r = JsonText.mapper().createObjectNode();
    r.put("id", id);
    r.put("node_id", "PRR_" + id);
    r.set("user", user(login, "User"));
    r.put("body", "");
    r.put("state", state);
    r.put(
        "html_url", "https://github.com/" + OWNER + "/" + NAME + "/pull/7#pullrequestreview-" + id);
    r.put("pull_request_url", base() + REPO_PATH + "/pulls/7");
    r.put("submitted_at", "2026-11-21T09:00:00Z");
    r.put("commit_id", HEAD_SHA);
    return r;
  }

  /** A commit as GET /pulls/{n}/commits lists it. */
  ObjectNode commit(String sha, String message) {
    ObjectNode c = JsonText.mapper().createObjectNode();
    c.put("sha", sha);
    c.put("url", base() + REPO_PATH + "/commits/" + sha);
    ObjectNode inner = c.putObject("commit");
    inner.put("message", message);
    inner.put("url", base() + REPO_PATH + "/git/commits/" + sha);
    return c;
  }

  static String array(List<ObjectNode> items) {
    ArrayNode a = JsonText.mapper().createArrayNode();
    items.forEach(a::add);
    return JsonText.pretty(a);
  }

  /** GitHub's 403 for a GitHub App installation token (a workflow's GITHUB_TOKEN). */
  static String notAccessible(String docs) {
    return "{\"message\":\"Resource not accessible by integration\",\"documentation_url\":\""
        + docs
        + "\",\"status\":\"403\"}";
  }
}
