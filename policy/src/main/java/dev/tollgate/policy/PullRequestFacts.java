package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.repo.ChangeSet;
import dev.tollgate.core.repo.ChangedFile;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * The facts the pull-request gates read: the change between base and head, the branch, the title,
 * the labels and approvals, and a way to read changed files' new content. Locally {@code tollgate
 * gate} builds it from Git and the command line; the GitHub integration builds it from the PR's
 * event, labels and reviews. Custom gates get it with {@code
 * context.facts(PullRequestFacts.class)}.
 *
 * @param branch the PR's head branch, e.g. {@code bf/BF-274-rounding}; empty when unknown
 * @param title the PR's title; empty when unknown (locally, unless given)
 * @param labels the PR's labels, sorted
 * @param approvals how many reviewers approved; empty when unknown (locally, unless given)
 * @param changes the files changed between the merge base and head
 * @param commitMessages the messages of the PR's commits, newest first
 * @param content reads a changed file's new content
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record PullRequestFacts(
    Optional<String> branch,
    Optional<String> title,
    Set<String> labels,
    OptionalInt approvals,
    ChangeSet changes,
    List<String> commitMessages,
    Content content) {

  /** Reads the content a changed file has at head. */
  @FunctionalInterface
  public interface Content {
    /**
     * The new content of {@code file}; empty for a deleted file or one that cannot be read as a
     * regular file (a submodule, a symbolic link).
     */
    Optional<byte[]> read(ChangedFile file);
  }

  /** Checks that every fact is present; copies and sorts the labels. */
  public PullRequestFacts {
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(approvals, "approvals");
    Objects.requireNonNull(changes, "changes");
    Objects.requireNonNull(content, "content");
    labels = Collections.unmodifiableSortedSet(new TreeSet<>(labels));
    commitMessages = List.copyOf(commitMessages);
    if (approvals.isPresent() && approvals.getAsInt() < 0) {
      throw new IllegalArgumentException(
          "approvals must not be negative but was " + approvals.getAsInt());
    }
  }

  /** Facts with only a change set: no branch, title, labels, approvals or commits. */
  public static PullRequestFacts of(ChangeSet changes, Content content) {
    return new PullRequestFacts(
        Optional.empty(),
        Optional.empty(),
        Set.of(),
        OptionalInt.empty(),
        changes,
        List.of(),
        content);
  }
}
