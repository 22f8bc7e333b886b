package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.TollgateException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * What a gate run in GitHub mode examines and where its verdict goes, worked out from the event:
 * the base and head, the pull request when there is one, the commit that gets the status, and the
 * pull request that gets the sticky comment.
 *
 * <ul>
 *   <li>{@code pull_request}, {@code pull_request_target}: the event's pull request, entirely as
 *       the payload has it (title, branch, labels, base and head): no request.
 *   <li>{@code issue_comment} on a pull request: that pull request, base and head as the API shows
 *       them now (one request).
 *   <li>{@code push}: the commits pushed ({@code before..after}; for a new branch, the default
 *       branch..after); no comment.
 *   <li>{@code merge_group}: the group's base and head commits, the facts (title, labels,
 *       approvals) of the pull request its branch names; changed files from the checkout, since the
 *       group may hold several pull requests; no comment.
 *   <li>{@code workflow_dispatch}: the commit the run is on against the default base; no comment.
 * </ul>
 *
 * A pull request number given explicitly ({@code --pr}) overrides the event: that pull request is
 * gated and commented on, whatever started the run (one request).
 *
 * <p>Its changed files, commits and approvals are not part of the target: {@link GithubFacts} reads
 * them, from the checkout where it can and from the API only as far as the policy needs.
 *
 * @param event the event
 * @param pullRequest the pull request whose facts were read; empty when there is none
 * @param commentOn the pull request that gets the sticky comment; empty for none
 * @param baseRef the base branch, e.g. {@code main}; empty when the event names none
 * @param baseSha the base commit; empty when the event names none
 * @param headRef the head branch or ref, for display
 * @param headSha the head commit: what is gated, and where the status or check goes
 * @param branch the branch the gate judges (the pull request's head branch)
 * @param title the pull request's title; empty without a pull request
 * @param labels the pull request's labels
 * @param snapshot the pull request as read from the API; empty when it was not read (a pull-request
 *     event's payload has what the target needs) or there is none
 * @param pullRequestChange whether the change to gate is the pull request's ({@code pullRequest}'s
 *     files: from the checkout when it has base and head, else from the API); false when it is read
 *     from the checkout between base and head (push, merge group, dispatch)
 * @param notes what a reader of the summary should know about where facts came from
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record GateTarget(
    GithubEvent event,
    OptionalInt pullRequest,
    OptionalInt commentOn,
    Optional<String> baseRef,
    Optional<String> baseSha,
    String headRef,
    String headSha,
    Optional<String> branch,
    Optional<String> title,
    Set<String> labels,
    Optional<PullRequestSnapshot> snapshot,
    boolean pullRequestChange,
    List<String> notes) {

  /** Checks the parts and copies the notes. */
  public GateTarget {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(pullRequest, "pullRequest");
    Objects.requireNonNull(commentOn, "commentOn");
    Objects.requireNonNull(baseRef, "baseRef");
    Objects.requireNonNull(baseSha, "baseSha");
    Objects.requireNonNull(headRef, "headRef");
    Objects.requireNonNull(headSha, "headSha");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(title, "title");
    labels = Collections.unmodifiableSortedSet(new TreeSet<>(labels));
    Objects.requireNonNull(snapshot, "snapshot");
    notes = List.copyOf(notes);
  }

  /**
   * Works out the target of {@code event}, reading the pull request through {@code client} when the
   * event does not carry it (issue comment, merge group, {@code pullRequestOverride}).
   *
   * @param pullRequestOverride a pull request to gate instead of what the event names
   * @throws TollgateException of kind {@code BAD_INPUT} for a comment on an issue that is not a
   *     pull request; {@link GithubApiException} when the API fails
   */
  public static GateTarget resolve(
      ActionsEnvironment env,
      GithubEvent event,
      GithubClient client,
      OptionalInt pullRequestOverride) {
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(client, "client");
    if (pullRequestOverride.isPresent()) {
      return ofPullRequest(
          event, client.pullRequest(env.repository(), pullRequestOverride.getAsInt()), List.of());
    }
    List<String> notes = new ArrayList<>();
    if (event instanceof GithubEvent.PullRequest e) {
      // The payload has the title, branch, labels, base and head: nothing to ask the API.
      notes.add(
          "title, branch, labels, base and head: from the "
              + e.name()
              + " event (as they were when it fired; a re-run sees the same)");
      return new GateTarget(
          event,
          OptionalInt.of(e.number()),
          OptionalInt.of(e.number()),
          Optional.of(e.baseRef()),
          Optional.of(e.baseSha()),
          e.headRef(),
          e.headSha(),
          Optional.of(e.headRef()),
          Optional.of(e.title()),
          new TreeSet<>(e.labels()),
          Optional.empty(),
          true,
          notes);
    }
    if (event instanceof GithubEvent.IssueComment e) {
      if (!e.onPullRequest()) {
        throw TollgateException.badInput(
            "the issue_comment event is for issue #"
                + e.number()
                + ", which is not a pull request; run the workflow only for pull-request"
                + " comments (if: github.event.issue.pull_request)");
      }
      return ofPullRequest(event, client.pullRequest(env.repository(), e.number()), notes);
    }
    if (event instanceof GithubEvent.Push e) {
      return new GateTarget(
          event,
          OptionalInt.empty(),
          OptionalInt.empty(),
          e.before().isPresent() ? e.branch() : e.defaultBranch(),
          e.before(),
          e.branch().orElse(e.ref()),
          e.after(),
          e.branch(),
          Optional.empty(),
          Set.of(),
          Optional.empty(),
          false,
          notes);
    }
    if (event instanceof GithubEvent.MergeGroup e) {
      Optional<PullRequestSnapshot> s = Optional.empty();
      if (e.pullRequest().isPresent()) {
        s = Optional.of(client.pullRequest(env.repository(), e.pullRequest().getAsInt()));
      } else {
        notes.add(
            "the merge group's branch names no pull request, so title, labels and approvals are"
                + " unknown");
      }
      return new GateTarget(
          event,
          e.pullRequest(),
          OptionalInt.empty(),
          Optional.of(stripHeads(e.baseRef())),
          Optional.of(e.baseSha()),
          stripHeads(e.headRef()),
          e.headSha(),
          s.map(PullRequestSnapshot::headRef),
          s.map(PullRequestSnapshot::title),
          s.map(PullRequestSnapshot::labels).orElse(Set.of()),
          s,
          false,
          notes);
    }
    GithubEvent.WorkflowDispatch e = (GithubEvent.WorkflowDispatch) event;
    return new GateTarget(
        event,
        OptionalInt.empty(),
        OptionalInt.empty(),
        Optional.empty(),
        Optional.empty(),
        stripHeads(e.ref()),
        e.sha(),
        e.ref().startsWith("refs/heads/") ? Optional.of(stripHeads(e.ref())) : Optional.empty(),
        Optional.empty(),
        Set.of(),
        Optional.empty(),
        false,
        notes);
  }

  private static GateTarget ofPullRequest(
      GithubEvent event, PullRequestSnapshot s, List<String> notes) {
    return new GateTarget(
        event,
        OptionalInt.of(s.number()),
        OptionalInt.of(s.number()),
        Optional.of(s.baseRef()),
        Optional.of(s.baseSha()),
        s.headRef(),
        s.headSha(),
        Optional.of(s.headRef()),
        Optional.of(s.title()),
        s.labels(),
        Optional.of(s),
        true,
        notes);
  }

  private static String stripHeads(String ref) {
    return ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
  }
}
