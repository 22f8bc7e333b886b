package dev.tollgate.actions.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading each supported event's payload: the octokit/webhooks examples of the shared corpus where
 * it has one (skipped when absent), and small hand-written payloads for what it lacks.
 */
class GithubEventTest {
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  private static GithubEvent corpus(String event, String file) {
    return GithubEvent.parse(event, Corpus.read("events/" + file), SHA);
  }

  @Test
  void pull_request_opened_from_the_corpus() {
    GithubEvent.PullRequest e =
        (GithubEvent.PullRequest) corpus("pull_request", "pull_request.opened.json");
    assertThat(e.action()).isEqualTo("opened");
    assertThat(e.number()).isEqualTo(2);
    assertThat(e.title()).isEqualTo("Update the README with new information.");
    assertThat(e.headRef()).isEqualTo("changes");
    assertThat(e.headSha()).isEqualTo("ec26c3e57ca3a959ca5aad62de7213c562f8c821");
    assertThat(e.baseRef()).isEqualTo("master");
    assertThat(e.baseSha()).isEqualTo("f95f852bd8fca8fcc58a9a2d6c842781e32a215e");
    assertThat(e.fromFork()).isFalse();
  }

  @Test
  void every_pull_request_action_of_the_corpus_reads() {
    for (String f :
        new String[] {
          "pull_request.synchronize.json",
          "pull_request.labeled.json",
          "pull_request.closed.json",
          "pull_request.opened.with-null-body.json"
        }) {
      GithubEvent.PullRequest e = (GithubEvent.PullRequest) corpus("pull_request", f);
      assertThat(e.number()).as(f).isPositive();
      assertThat(e.headSha()).as(f).hasSize(40);
    }
    GithubEvent.PullRequest labeled =
        (GithubEvent.PullRequest) corpus("pull_request", "pull_request.labeled.json");
    assertThat(labeled.labels()).isNotEmpty();
  }

  @Test
  void pull_request_target_has_the_pull_request_shape() {
    GithubEvent e =
        GithubEvent.parse(
            "pull_request_target", Corpus.read("events/pull_request.opened.json"), SHA);
    assertThat(e.name()).isEqualTo("pull_request_target");
    assertThat(((GithubEvent.PullRequest) e).number()).isEqualTo(2);
  }

  @Test
  void push_from_the_corpus_and_a_new_branch() {
    GithubEvent.Push tag = (GithubEvent.Push) corpus("push", "push.json");
    assertThat(tag.ref()).isEqualTo("refs/tags/simple-tag");
    assertThat(tag.branch()).isEmpty();
    GithubEvent.Push created = (GithubEvent.Push) corpus("push", "push.with-new-branch.json");
    assertThat(created.before()).isEmpty();
    assertThat(created.after()).hasSize(40);
  }

  @Test
  void merge_group_from_the_corpus_names_the_queued_pull_request() {
    GithubEvent.MergeGroup e =
        (GithubEvent.MergeGroup) corpus("merge_group", "merge_group.checks_requested.json");
    assertThat(e.headSha()).isEqualTo("2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d");
    assertThat(e.baseSha()).isEqualTo("380387fbc80638b734a49e1be1c4dfec1c01b33c");
    assertThat(e.baseRef()).isEqualTo("refs/heads/main");
    assertThat(e.pullRequest()).isEqualTo(OptionalInt.of(104));
  }

  @Test
  void workflow_dispatch_from_the_corpus_takes_the_sha_from_the_environment() {
    GithubEvent.WorkflowDispatch e =
        (GithubEvent.WorkflowDispatch) corpus("workflow_dispatch", "workflow_dispatch.json");
    assertThat(e.ref()).isEqualTo("refs/heads/master");
    assertThat(e.sha()).isEqualTo(SHA);
    assertThat(e.inputs()).containsEntry("name", "Mona the Octocat");
  }

  @Test
  void issue_comment_from_the_corpus_is_on_an_issue_not_a_pull_request() {
    GithubEvent.IssueComment e =
        (GithubEvent.IssueComment) corpus("issue_comment", "issue_comment.created.json");
    assertThat(e.onPullRequest()).isFalse();
    assertThat(e.number()).isPositive();
  }

  private static final String FORK_PR =
      """
      {"action": "synchronize", "number": 7,
       "pull_request": {"number": 7, "title": "Fix", "labels": [{"name": "ready"}],
         "head": {"ref": "patch-1", "sha": "%s", "repo": {"full_name": "someone/shop"}},
         "base": {"ref": "main", "sha": "%s", "repo": {"full_name": "octo-org/shop"}}}}
      """
          .formatted(SHA, "f".repeat(40));

  @Test
  void a_pull_request_from_a_fork_is_recognised() {
    GithubEvent.PullRequest e =
        (GithubEvent.PullRequest) GithubEvent.parse("pull_request", FORK_PR, SHA);
    assertThat(e.fromFork()).isTrue();
    assertThat(e.headRepository()).contains("someone/shop");
    assertThat(e.labels()).containsExactly("ready");
  }

  @Test
  void a_comment_on_a_pull_request_is_recognised() {
    String json =
        """
        {"action": "created",
         "issue": {"number": 7, "pull_request": {"url": "https://api.github.com/repos/o/r/pulls/7"}},
         "comment": {"body": "/tollgate gate", "user": {"login": "octocat"}}}
        """;
    GithubEvent.IssueComment e =
        (GithubEvent.IssueComment) GithubEvent.parse("issue_comment", json, SHA);
    assertThat(e.onPullRequest()).isTrue();
    assertThat(e.number()).isEqualTo(7);
    assertThat(e.body()).isEqualTo("/tollgate gate");
    assertThat(e.commenter()).isEqualTo("octocat");
  }

  @Test
  void a_merge_group_branch_without_a_pull_request_number_names_none() {
    String json =
        """
        {"action": "checks_requested", "merge_group": {"head_ref": "refs/heads/queue/x",
         "head_sha": "%s", "base_ref": "refs/heads/main", "base_sha": "%s"}}
        """
            .formatted(SHA, SHA);
    assertThat(((GithubEvent.MergeGroup) GithubEvent.parse("merge_group", json, SHA)).pullRequest())
        .isEmpty();
  }

  private static void badInput(String event, String json, String message) {
    assertThatThrownBy(() -> GithubEvent.parse(event, json, SHA))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT))
        .hasMessage(message);
  }

  @Test
  void an_unsupported_event_names_the_supported_ones() {
    badInput(
        "schedule",
        "{}",
        "the GitHub event 'schedule' is not supported; supported events: pull_request,"
            + " pull_request_target, push, merge_group, workflow_dispatch, issue_comment");
  }

  @Test
  void a_payload_without_a_field_the_gate_needs_says_which_and_where() {
    badInput(
        "pull_request",
        "{\"action\":\"opened\",\"pull_request\":{\"number\":7,\"title\":\"t\"}}",
        "the pull_request event payload's pull_request.head.ref is missing");
    badInput(
        "push",
        "{\"ref\":\"refs/heads/main\",\"before\":\"nope\",\"after\":\"" + SHA + "\"}",
        "the push event payload's before must be a 40-character commit id but was 'nope'");
    badInput("push", "[1]", "the push event payload is not a JSON object");
    assertThatThrownBy(() -> GithubEvent.parse("push", "{", SHA))
        .hasMessageStartingWith(
            "the push event payload is not valid JSON: Unexpected end-of-input");
  }

  @Test
  void reads_the_payload_file_the_environment_names(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("event.json");
    Files.writeString(file, FORK_PR);
    Map<String, String> env = ActionsEnvironmentTest.step();
    env.put("GITHUB_EVENT_PATH", file.toString());
    GithubEvent e = GithubEvent.read(ActionsEnvironment.from(env));
    assertThat(e).isInstanceOf(GithubEvent.PullRequest.class);

    env.put("GITHUB_EVENT_PATH", dir.resolve("gone.json").toString());
    assertThatThrownBy(() -> GithubEvent.read(ActionsEnvironment.from(env)))
        .hasMessage(
            "GITHUB_EVENT_PATH names " + dir.resolve("gone.json") + ", which does not exist");
  }
}
