package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * A pull request as the GitHub API shows it when the gate runs ({@code GET .../pulls/{n}}): refs,
 * title and labels. Its files, commits and reviews are separate lists, read only when needed.
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
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record PullRequestSnapshot(
    int number,
    String title,
    String state,
    String headRef,
    String headSha,
    Optional<String> headRepository,
    String baseRef,
    String baseSha,
    Set<String> labels) {

  /** Checks the parts and copies the labels. */
  public PullRequestSnapshot {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(headRef, "headRef");
    Objects.requireNonNull(headSha, "headSha");
    Objects.requireNonNull(headRepository, "headRepository");
    Objects.requireNonNull(baseRef, "baseRef");
    Objects.requireNonNull(baseSha, "baseSha");
    labels = Collections.unmodifiableSortedSet(new TreeSet<>(labels));
  }
}
