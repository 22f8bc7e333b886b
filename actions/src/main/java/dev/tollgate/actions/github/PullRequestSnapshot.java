package dev.tollgate.actions.github;

import dev.tollgate.core.repo.ChangeSet;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A pull request as the GitHub API shows it when the gate runs: refs, title, labels, approvals, and
 * (when the API can list them all) the changed files and commit messages.
 *
 * @param number the pull request's number
 * @param title its title
 * @param state {@code open} or {@code closed}
 * @param headRef its head branch
 * @param headSha its head commit now
 * @param headRepository the head's repository, {@code owner/name}; empty when it was deleted
 * @param baseRef the branch it merges into
 * @param baseSha the base branch's commit now
 * @param labels its labels, sorted
 * @param approvals reviewers whose latest deciding review approves (a later "changes requested" or
 *     a dismissal cancels an approval; comments do not)
 * @param changedFiles how many files GitHub says it changes
 * @param changes the changed files from the API; empty when GitHub cannot list them all (over
 *     {@value GithubClient#MAX_LISTED_FILES} files) or could not be asked, see {@code changesNote}
 * @param changesNote why {@code changes} is empty; empty otherwise
 * @param commitMessages the commits' messages, newest first; empty when GitHub cannot list them all
 *     (over {@value GithubClient#MAX_LISTED_COMMITS} commits)
 */
public record PullRequestSnapshot(
    int number,
    String title,
    String state,
    String headRef,
    String headSha,
    Optional<String> headRepository,
    String baseRef,
    String baseSha,
    Set<String> labels,
    int approvals,
    int changedFiles,
    Optional<ChangeSet> changes,
    Optional<String> changesNote,
    Optional<List<String>> commitMessages) {

  /** Checks the parts and copies the collections. */
  public PullRequestSnapshot {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(headRef, "headRef");
    Objects.requireNonNull(headSha, "headSha");
    Objects.requireNonNull(headRepository, "headRepository");
    Objects.requireNonNull(baseRef, "baseRef");
    Objects.requireNonNull(baseSha, "baseSha");
    Objects.requireNonNull(changes, "changes");
    Objects.requireNonNull(changesNote, "changesNote");
    Objects.requireNonNull(commitMessages, "commitMessages");
    labels = Collections.unmodifiableSortedSet(new TreeSet<>(labels));
    commitMessages = commitMessages.map(List::copyOf);
    if (approvals < 0) {
      throw new IllegalArgumentException("approvals must not be negative but was " + approvals);
    }
  }
}
