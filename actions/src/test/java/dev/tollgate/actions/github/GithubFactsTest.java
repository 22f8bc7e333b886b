package dev.tollgate.actions.github;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
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
 * The gate's facts in GitHub mode: from the API where it has them (paginated, up to its limits),
 * from the checkout with JGit where it does not.
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
        List.of());
  }

  private GithubFacts gather(GithubClient client, GithubEvent event) {
    GateTarget target = GateTarget.resolve(env(), event, client, OptionalInt.empty());
    RepositoryView view = RepositoryView.open(dir);
    try {
      return GithubFacts.gather(target, view, client, REPO, () -> "main");
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

  @Test
  void thePullRequestsFilesLabelsTitleAndCommitsComeFromTheApiAcrossPages() {
    stubPull(7, headSha);
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

    GithubFacts facts = gather(api.client(), event(7, headSha));

    var f = facts.facts();
    assertThat(f.title()).contains("BF-274 Fix rounding");
    assertThat(f.branch()).contains("bf/BF-274-rounding");
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
  }

  private ObjectNode renamed() {
    ObjectNode f = api.file("docs/new.md", "renamed", 2, 1, "3".repeat(40));
    f.put("previous_filename", "docs/draft.md");
    return f;
  }

  @Test
  void approvalsCountEachReviewersLatestDecidingReview() {
    stubPull(7, headSha);
    stubFiles(7, List.of());
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
    for (String login : List.of("alice", "bob", "carol", "dave", "erin")) {
      wm.stubFor(
          get(urlPathEqualTo("/users/" + login))
              .willReturn(ok(JsonText.pretty(api.user(login, "User")))));
    }

    PullRequestSnapshot s = api.client().pullRequest(REPO, 7);

    assertThat(s.approvals()).isEqualTo(2); // bob and erin
  }

  @Test
  void overGithubsThreeThousandFileLimitTheChangeIsReadFromTheCheckout() {
    stubPull(7, headSha);
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

    GithubFacts facts = gather(api.client(), event(7, headSha));

    assertThat(facts.facts().changes().files())
        .extracting(ChangedFile::path)
        .containsExactly("src/Rounding.java");
    assertThat(facts.notes())
        .anyMatch(
            n -> n.contains("from the checkout with Git (GitHub lists at most 3000 changed files"));
  }

  @Test
  void contentTheCheckoutLacksIsReadFromGithubsBlob() {
    stubPull(7, headSha);
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

    GithubFacts facts = gather(api.client(), event(7, headSha));
    ChangedFile file = facts.facts().changes().files().get(0);

    assertThat(facts.facts().content().read(file))
        .hasValueSatisfying(
            b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("KEY=val\n\n"));
  }

  @Test
  void theBaseFileIsReadFromTheApiWhenTheCheckoutLacksTheBaseCommit() {
    String unknownBase = "6".repeat(40);
    stubPull(7, headSha);
    stubFiles(7, List.of());
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
  void whenTheApiIsUnavailableThePayloadAndTheCheckoutStandIn() {
    wm.stubFor(
        get(urlPathEqualTo(REPO_PATH + "/pulls/7"))
            .willReturn(GithubApi.json(503, "{\"message\":\"Service Unavailable\"}")));

    GithubFacts facts = gather(api.client(RetryPolicy.none()), event(7, headSha));

    assertThat(facts.facts().title()).contains("BF-274 Fix rounding");
    assertThat(facts.facts().approvals()).isEmpty();
    assertThat(facts.facts().changes().files())
        .extracting(ChangedFile::path)
        .containsExactly("src/Rounding.java");
    assertThat(facts.notes())
        .anyMatch(
            n ->
                n.startsWith(
                    "the GitHub API could not be read (GitHub failed while reading pull request #7"));
  }

  @Test
  void aShallowCheckoutThatLacksTheCommitsToDiffIsBadInputSayingToFetchThem() {
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
  void aPushIsGatedFromTheCheckoutWithoutAPullRequest() {
    GithubEvent push =
        new GithubEvent.Push(
            "refs/heads/bf/BF-274-rounding",
            java.util.Optional.of(baseSha),
            headSha,
            java.util.Optional.of("main"));

    GithubFacts facts = gather(api.client(), push);

    assertThat(facts.facts().branch()).contains("bf/BF-274-rounding");
    assertThat(facts.facts().title()).isEmpty();
    assertThat(facts.facts().approvals()).isEmpty();
    assertThat(facts.facts().changes().files())
        .extracting(ChangedFile::path)
        .containsExactly("src/Rounding.java");
    assertThat(facts.facts().commitMessages()).containsExactly("BF-274 round half even");
  }
}
