package dev.tollgate.actions.github;

import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.tollgate.actions.github.GithubApi.REPO;
import static dev.tollgate.actions.github.GithubApi.REPO_PATH;
import static dev.tollgate.actions.github.GithubApi.array;
import static dev.tollgate.actions.github.GithubApi.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.actions.report.JsonText;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.repo.ChangeType;
import dev.tollgate.core.repo.ChangedFile;
import dev.tollgate.core.repo.RepositoryView;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's facts in GitHub mode: from the event and the checkout where they have them, from the
 * API (paginated, up to its limits) only for what they lack and the policy reads.
 */
class GithubFactsTest {
  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir Path dir;
  private Git git;
  private int tick;
  private GithubApi api;
  private String baseSha;
  private String headSha;

  @BeforeEach
  void repository() throws Exception {
    api = new GithubApi(wm);
    api.stubRepository();
    git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    write("README.md", "shop\n");
    baseSha = commit("base");
    git.checkout().setCreateBranch(true).setName("bf/BF-274-rounding").call();
    write("src/Rounding.java", "class Rounding {}\n");
    headSha = commit("BF-274 round half even");
  }

  @AfterEach
  void close() {
    git.close();
  }

  private void write(String path, String text) throws Exception {
    Path f = dir.resolve(path);
    Files.createDirectories(f.getParent() == null ? dir : f.getParent());
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

  private ObjectNode pull(int n, String head) {
    ObjectNode p =
        api.pullRequest(
            n, "BF-274 Fix rounding", "bf/BF-274-rounding", head, List.of("reviewed", "backend"));
    ((ObjectNode) p.get("base")).put("sha", baseSha);
    return p;
  }

  private void stubPull(int n, String head) {
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/pulls/" + n))
            .willReturn(ok(JsonText.pretty(pull(n, head)))));
    wm.stubFor(get(urlPathEqualTo(REPO_PATH + "/pulls/" + n + "/reviews")).willReturn(ok("[]")));
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/pulls/" + n + "/commits"))
            .willReturn(ok(array(List.of(api.commit(head, "BF-274 round half even"))))));
  }

  private void stubFiles(int n, List<ObjectNode> files) {
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/pulls/" + n + "/files")).willReturn(ok(array(files))));
  }

  private GithubEvent.PullRequest event(int n, String head) {
    return new GithubEvent.PullRequest(
        "pull_request",
        "synchronize",
        n,
        "BF-274 Fix rounding",
        "bf/BF-274-rounding",
        head,
        java.util.Optional.of("octo-org/shop"),
        "main",
        baseSha,
        "octo-org/shop",
        List.of("reviewed", "backend"));
  }

  private GithubFacts gather(GithubClient client, GithubEvent event) {
    GateTarget target = GateTarget.resolve(env(), event, client, OptionalInt.empty());
    RepositoryView view = RepositoryView.open(dir);
    try {
      GithubFacts facts = GithubFacts.gather(target, view, client, REPO, () -> "main");
      facts.facts(GithubFacts.Wanted.everything());
      return facts;
    } finally {
      view.close();
    }
  }

  private ActionsEnvironment env() {
    return ActionsEnvironment.from(
        java.util.Map.of(
            "GITHUB_EVENT_NAME",
            "pull_request",
            "GITHUB_EVENT_PATH",
            dir.resolve("event.json").toString(),
            "GITHUB_REPOSITORY",
            "octo-org/shop",
            "GITHUB_SHA",
            headSha,
            "GITHUB_API_URL",
            api.base()));
  }

  /** A head commit the checkout does not have, as in a shallow clone of the merge commit. */
  private static final String ELSEWHERE = "9".repeat(40);

  @Test
  void with_base_and_head_in_the_checkout_a_pull_request_event_needs_no_request_but_the_reviews() {
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/pulls/7/reviews"))
            .willReturn(ok(array(List.of(api.review(1, "alice", "APPROVED"))))));

    GithubFacts facts = gather(api.client(), event(7, headSha));

    var f = facts.facts(GithubFacts.Wanted.everything());
    assertThat(f.title()).contains("BF-274 Fix rounding");
    assertThat(f.branch()).contains("bf/BF-274-rounding");
    assertThat(f.labels()).containsExactly("backend", "reviewed");
    assertThat(f.commitMessages()).containsExactly("BF-274 round half even");
    assertThat(f.changes().files())
        .extracting(ChangedFile::path)
        .containsExactly("src/Rounding.java");
    assertThat(f.approvals()).hasValue(1);
    assertThat(facts.notes())
        .contains(
            "title, branch, labels, base and head: from the pull_request event (as they were when"
                + " it fired; a re-run sees the same)",
            "changed files: 1 from the checkout with Git (it has the base and head commits)",
            "approvals: 1 from the GitHub API (reviews of #7)");
    // The reviews, and nothing else.
    assertThat(wm.getAllServeEvents())
        .extracting(e -> e.getRequest().getUrl())
        .containsExactly(REPO_PATH + "/pulls/7/reviews?per_page=100");
  }

  @Test
  void facts_the_policy_does_not_read_are_not_looked_up() {
    RepositoryView view = RepositoryView.open(dir);
    GithubClient client = api.client();
    GithubFacts facts;
    try {
      GateTarget target = GateTarget.resolve(env(), event(7, headSha), client, OptionalInt.empty());
      facts = GithubFacts.gather(target, view, client, REPO, () -> "main");
      var f = facts.facts(new GithubFacts.Wanted(false, false));
      assertThat(f.approvals()).isEmpty();
    } finally {
      view.close();
    }
    assertThat(facts.notes()).contains("approvals: not read (no gate of the policy uses them)");
    wm.verify(exactly(0), WireMock.anyRequestedFor(WireMock.anyUrl()));
  }

  @Test
  void a_checkout_without_the_commits_gets_the_files_and_commits_from_the_api_across_pages() {
    stubPull(7, ELSEWHERE);
    String page2 = api.base() + REPO_PATH + "/pulls/7/files?per_page=100&page=2";
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/pulls/7/files"))
            .withQueryParam("page", WireMock.absent())
            .willReturn(
                ok(array(List.of(api.file("src/Rounding.java", "added", 1, 0, "1".repeat(40)))))
                    .withHeader(
                        "Link", "<" + page2 + ">; rel=\"next\", <" + page2 + ">; rel=\"last\"")));
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/pulls/7/files"))
            .withQueryParam("page", WireMock.equalTo("2"))
            .willReturn(
                ok(
                    array(
                        List.of(
                            api.file("docs/old.md", "removed", 0, 4, "2".repeat(40)),
                            renamed())))));

    GithubFacts facts = gather(api.client(), event(7, ELSEWHERE));

    var f = facts.facts(GithubFacts.Wanted.everything());
    assertThat(f.title()).contains("BF-274 Fix rounding");
    assertThat(f.labels()).containsExactly("backend", "reviewed");
    assertThat(f.commitMessages()).containsExactly("BF-274 round half even");
    assertThat(f.changes().files())
        .extracting(ChangedFile::path, ChangedFile::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("docs/new.md", ChangeType.RENAMED),
            org.assertj.core.groups.Tuple.tuple("docs/old.md", ChangeType.DELETED),
            org.assertj.core.groups.Tuple.tuple("src/Rounding.java", ChangeType.ADDED));
    assertThat(f.changes().files().get(0).oldPath()).contains("docs/draft.md");
    assertThat(f.changes().files().get(1).blobId()).isEmpty();
    assertThat(facts.notes()).anyMatch(n -> n.startsWith("changed files: 3 from the GitHub API"));
    assertThat(facts.notes()).contains("commit messages: 1 from the GitHub API (commits of #7)");
  }

  private ObjectNode renamed() {
    ObjectNode f = api.file("docs/new.md", "renamed", 2, 1, "3".repeat(40));
    f.put("previous_filename", "docs/draft.md");
    return f;
  }

  @Test
  void approvals_count_each_reviewers_latest_deciding_review_in_one_request() {
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/pulls/7/reviews"))
            .willReturn(
                ok(
                    array(
                        List.of(
                            api.review(1, "alice", "APPROVED"),
                            api.review(2, "bob", "APPROVED"),
                            api.review(3, "alice", "CHANGES_REQUESTED"),
                            api.review(4, "carol", "COMMENTED"),
                            api.review(5, "dave", "APPROVED"),
                            api.review(6, "dave", "DISMISSED"),
                            api.review(7, "erin", "CHANGES_REQUESTED"),
                            api.review(8, "erin", "APPROVED"),
                            api.review(9, "erin", "COMMENTED"))))));

    assertThat(api.client().approvals(REPO, 7)).isEqualTo(2); // bob and erin

    // The logins are in the list: no reviewer's profile is read.
    wm.verify(exactly(1), getRequestedFor(urlPathEqualTo(REPO_PATH + "/pulls/7/reviews")));
    wm.verify(exactly(0), getRequestedFor(urlPathMatching("/users/.*")));
  }

  @Test
  void reviews_across_pages_are_all_counted() {
    String page2 = api.base() + REPO_PATH + "/pulls/7/reviews?per_page=100&page=2";
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/pulls/7/reviews"))
            .withQueryParam("page", WireMock.absent())
            .willReturn(
                ok(array(List.of(api.review(1, "alice", "APPROVED"))))
                    .withHeader("Link", "<" + page2 + ">; rel=\"next\"")));
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/pulls/7/reviews"))
            .withQueryParam("page", WireMock.equalTo("2"))
            .willReturn(
                ok(
                    array(
                        List.of(
                            api.review(2, "alice", "CHANGES_REQUESTED"),
                            api.review(3, "bob", "APPROVED"))))));

    assertThat(api.client().approvals(REPO, 7)).isEqualTo(1); // bob; alice changed her mind
  }

  @Test
  void reviews_that_cannot_be_read_leave_approvals_unknown_and_say_so() {
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/pulls/7/reviews"))
            .willReturn(GithubApi.json(503, "{\"message\":\"Service Unavailable\"}")));

    GithubFacts facts = gather(api.client(RetryPolicy.none()), event(7, headSha));

    assertThat(facts.facts(GithubFacts.Wanted.everything()).approvals()).isEmpty();
    assertThat(facts.notes())
        .anyMatch(
            n ->
                n.startsWith(
                    "approvals: unknown, the reviews could not be read (GitHub failed while"
                        + " listing the reviews of pull request #7"));
  }

  @Test
  void
      over_githubs_three_thousand_file_limit_a_shallow_checkout_is_bad_input_saying_to_fetch_the_commits() {
    stubPull(7, ELSEWHERE);
    int pages = GithubClient.MAX_LISTED_FILES / 100;
    for (int page = 1; page <= pages; page++) {
      List<ObjectNode> files = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        files.add(api.file("gen/F" + page + "_" + i + ".txt", "added", 1, 0, "4".repeat(40)));
      }
      String next = api.base() + REPO_PATH + "/pulls/7/files?per_page=100&page=" + (page + 1);
      var answer = ok(array(files));
      if (page < pages) {
        answer = answer.withHeader("Link", "<" + next + ">; rel=\"next\"");
      }
      wm.stubFor(
          get(urlPathEqualTo(REPO_PATH + "/pulls/7/files"))
              .withQueryParam(
                  "page", page == 1 ? WireMock.absent() : WireMock.equalTo(Integer.toString(page)))
              .willReturn(answer));
    }

    assertThatThrownBy(() -> gather(api.client(), event(7, ELSEWHERE)))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT))
        .hasMessage(
            "the checkout lacks the head commit "
                + ELSEWHERE
                + ", which Git needs to read the change, and GitHub lists at most 3000 changed"
                + " files of a pull request; check out with 'fetch-depth: 0' (actions/checkout)"
                + " so that the base and head commits are present");
  }

  @Test
  void
      a_shallow_checkout_of_a_pull_request_that_moved_on_is_bad_input_saying_to_fetch_the_commits() {
    stubPull(7, "a".repeat(40));

    assertThatThrownBy(() -> gather(api.client(), event(7, ELSEWHERE)))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT))
        .hasMessageContaining("the GitHub API lists the files of pull request #7 as of aaaaaaa");
    wm.verify(exactly(0), getRequestedFor(urlPathEqualTo(REPO_PATH + "/pulls/7/files")));
  }

  @Test
  void a_shallow_checkout_when_the_api_fails_could_not_finish_and_says_why() {
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/pulls/7"))
            .willReturn(GithubApi.json(503, "{\"message\":\"Service Unavailable\"}")));

    assertThatThrownBy(() -> gather(api.client(RetryPolicy.none()), event(7, ELSEWHERE)))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> assertThat(e.kind()).isEqualTo(TollgateException.Kind.COULD_NOT_FINISH))
        .hasMessageStartingWith(
            "the checkout lacks the head commit "
                + ELSEWHERE
                + ", which Git needs to read the change, and the GitHub API could not list the"
                + " changed files: GitHub failed while reading pull request #7");
  }

  @Test
  void content_the_checkout_lacks_is_read_from_githubs_blob() {
    stubPull(7, ELSEWHERE);
    String missing = "5".repeat(40);
    stubFiles(7, List.of(api.file("config/app.env", "added", 1, 0, missing)));
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/git/blobs/" + missing))
            .willReturn(
                ok(
                    "{\"sha\":\""
                        + missing
                        + "\",\"size\":9,\"encoding\":\"base64\",\"content\":\""
                        + Base64.getMimeEncoder()
                            .encodeToString("KEY=val\n\n".getBytes(StandardCharsets.UTF_8))
                        + "\",\"url\":\""
                        + api.base()
                        + REPO_PATH
                        + "/git/blobs/"
                        + missing
                        + "\"}")));

    GithubFacts facts = gather(api.client(), event(7, ELSEWHERE));
    var f = facts.facts(GithubFacts.Wanted.everything());
    ChangedFile file = f.changes().files().get(0);

    assertThat(f.content().read(file))
        .hasValueSatisfying(
            b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("KEY=val\n\n"));
  }

  @Test
  void the_base_file_is_read_from_the_api_when_the_checkout_lacks_the_base_commit() {
    String unknownBase = "6".repeat(40);
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/contents/.tollgate/policy.yml"))
            .withQueryParam("ref", WireMock.equalTo(unknownBase))
            .willReturn(
                ok(
                    "{\"type\":\"file\",\"encoding\":\"base64\",\"size\":11,\"name\":\"policy.yml\","
                        + "\"path\":\".tollgate/policy.yml\",\"content\":\""
                        + Base64.getMimeEncoder()
                            .encodeToString("version: 1\n".getBytes(StandardCharsets.UTF_8))
                        + "\",\"sha\":\""
                        + "7".repeat(40)
                        + "\"}")));
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/contents/missing.yml"))
            .willReturn(GithubApi.json(404, "{\"message\":\"Not Found\"}")));

    GithubFacts facts = gather(api.client(), event(7, headSha));

    assertThat(facts.fileAt(unknownBase, ".tollgate/policy.yml"))
        .hasValueSatisfying(
            b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("version: 1\n"));
    assertThat(facts.fileAt(unknownBase, "missing.yml")).isEmpty();
    // The checkout has the head: read locally, no request.
    assertThat(facts.fileAt(headSha, "src/Rounding.java")).isPresent();
  }

  @Test
  void a_shallow_checkout_that_lacks_the_commits_to_diff_is_bad_input_saying_to_fetch_them() {
    String elsewhere = "8".repeat(40);
    GithubEvent push =
        new GithubEvent.Push(
            "refs/heads/main",
            java.util.Optional.of(baseSha),
            elsewhere,
            java.util.Optional.of("main"));

    assertThatThrownBy(() -> gather(api.client(), push))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT))
        .hasMessage(
            "the checkout lacks the head commit "
                + elsewhere
                + ", which Git needs to read the change; check out with 'fetch-depth: 0'"
                + " (actions/checkout) so that the base and head commits are present");
  }

  @Test
  void a_push_is_gated_from_the_checkout_without_a_pull_request() {
    GithubEvent push =
        new GithubEvent.Push(
            "refs/heads/bf/BF-274-rounding",
            java.util.Optional.of(baseSha),
            headSha,
            java.util.Optional.of("main"));

    GithubFacts facts = gather(api.client(), push);

    assertThat(facts.facts(GithubFacts.Wanted.everything()).branch())
        .contains("bf/BF-274-rounding");
    var f = facts.facts(GithubFacts.Wanted.everything());
    assertThat(f.title()).isEmpty();
    assertThat(f.approvals()).isEmpty();
    assertThat(f.changes().files())
        .extracting(ChangedFile::path)
        .containsExactly("src/Rounding.java");
    assertThat(f.commitMessages()).containsExactly("BF-274 round half even");
    wm.verify(exactly(0), WireMock.anyRequestedFor(WireMock.anyUrl()));
  }
}
