package dev.tollgate.actions.github;

import dev.tollgate.core.TollgateException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

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
      return new Builder(event, e.headRef(), e.headSha())
          .pullRequest(OptionalInt.of(e.number()))
          .commentOn(OptionalInt.of(e.number()))
          .baseRef(Optional.of(e.baseRef()))
          .baseSha(Optional.of(e.baseSha()))
          .branch(Optional.of(e.headRef()))
          .title(Optional.of(e.title()))
          .labels(new TreeSet<>(e.labels()))
          .pullRequestChange()
          .notes(notes)
          .build();
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
      return new Builder(event, e.branch().orElse(e.ref()), e.after())
          .baseRef(e.before().isPresent() ? e.branch() : e.defaultBranch())
          .baseSha(e.before())
          .branch(e.branch())
          .notes(notes)
          .build();
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
      return new Builder(event, stripHeads(e.headRef()), e.headSha())
          .pullRequest(e.pullRequest())
          .baseRef(Optional.of(stripHeads(e.baseRef())))
          .baseSha(Optional.of(e.baseSha()))
          .branch(s.map(PullRequestSnapshot::headRef))
          .title(s.map(PullRequestSnapshot::title))
          .labels(s.map(PullRequestSnapshot::labels).orElse(Set.of()))
          .snapshot(s)
          .notes(notes)
          .build();
    }
    GithubEvent.WorkflowDispatch e = (GithubEvent.WorkflowDispatch) event;
    return new Builder(event, stripHeads(e.ref()), e.sha())
        .branch(
            e.ref().startsWith("refs/heads/") ? Optional.of(stripHeads(e.ref())) : Optional.empty())
        .notes(notes)
        .build();
  }

  private static GateTarget ofPullRequest(
      GithubEvent event, PullRequestSnapshot s, List<String> notes) {
    return new Builder(event, s.headRef(), s.headSha())
        .pullRequest(OptionalInt.of(s.number()))
        .commentOn(OptionalInt.of(s.number()))
        .baseRef(Optional.of(s.baseRef()))
        .baseSha(Optional.of(s.baseSha()))
        .branch(Optional.of(s.headRef()))
        .title(Optional.of(s.title()))
        .labels(s.labels())
        .snapshot(Optional.of(s))
        .pullRequestChange()
        .notes(notes)
        .build();
  }

  private static String stripHeads(String ref) {
    return ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
  }

  /**
   * Collects the parts of a target by name; what a kind of event does not have stays empty, and the
   * change is read from the checkout unless {@link #pullRequestChange()} says it is the pull
   * request's.
   */
  private static final class Builder {
    private final GithubEvent event;
    private final String headRef;
    private final String headSha;
    private OptionalInt pullRequest = OptionalInt.empty();
    private OptionalInt commentOn = OptionalInt.empty();
    private Optional<String> baseRef = Optional.empty();
    private Optional<String> baseSha = Optional.empty();
    private Optional<String> branch = Optional.empty();
    private Optional<String> title = Optional.empty();
    private Set<String> labels = Set.of();
    private Optional<PullRequestSnapshot> snapshot = Optional.empty();
    private boolean pullRequestChange;
    private List<String> notes = List.of();

    Builder(GithubEvent event, String headRef, String headSha) {
      this.event = event;
      this.headRef = headRef;
      this.headSha = headSha;
    }

    Builder pullRequest(OptionalInt number) {
      this.pullRequest = number;
      return this;
    }

    Builder commentOn(OptionalInt number) {
      this.commentOn = number;
      return this;
    }

    Builder baseRef(Optional<String> ref) {
      this.baseRef = ref;
      return this;
    }

    Builder baseSha(Optional<String> sha) {
      this.baseSha = sha;
      return this;
    }

    Builder branch(Optional<String> name) {
      this.branch = name;
      return this;
    }

    Builder title(Optional<String> text) {
      this.title = text;
      return this;
    }

    Builder labels(Set<String> names) {
      this.labels = names;
      return this;
    }

    Builder snapshot(Optional<PullRequestSnapshot> read) {
      this.snapshot = read;
      return this;
    }

    /** The change to gate is the pull request's, not the checkout's between base and head. */
    Builder pullRequestChange() {
      this.pullRequestChange = true;
      return this;
    }

    Builder notes(List<String> lines) {
      this.notes = lines;
      return this;
    }

    GateTarget build() {
      return new GateTarget(
          event,
          pullRequest,
          commentOn,
          baseRef,
          baseSha,
          headRef,
          headSha,
          branch,
          title,
          labels,
          snapshot,
          pullRequestChange,
          notes);
    }
  }
}
