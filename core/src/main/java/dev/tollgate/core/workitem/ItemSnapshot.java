package dev.tollgate.core.workitem;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * When the data of a work item was last written, and what that time is based on: a commit of the
 * repository holding the item's file, a change in the working copy no commit holds yet, or only the
 * file's modification time. Read with {@link WorkItemStore#snapshot(String)}; judged by {@link
 * Freshness#assess}.
 *
 * @param at when the item's data was last written, to the second
 * @param basis where {@code at} comes from
 * @param commit the full id of the commit {@code at} is read from; present exactly for {@link
 *     Basis#COMMIT} and {@link Basis#SHALLOW_BOUNDARY}
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record ItemSnapshot(Instant at, Basis basis, Optional<String> commit) {

  /** Where the time of a snapshot comes from, from most to least trustworthy. */
  public enum Basis {
    /**
     * The committer time of the last commit that changed the item's file; the working copy holds
     * exactly what that commit holds.
     */
    COMMIT("commit"),
    /**
     * The oldest commit of a shallow clone: the file last changed at or before it, so the real age
     * is at least the age of this commit.
     */
    SHALLOW_BOUNDARY("shallow-boundary"),
    /**
     * The file's modification time in a Git working copy where the file differs from every commit
     * (edited or not yet committed): a local write that no history holds yet.
     */
    UNCOMMITTED_CHANGE("uncommitted-change"),
    /**
     * The file's modification time where no Git history holds the file; a copy, an archive or a
     * checkout resets it, so it says little about the data.
     */
    FILE_MODIFIED_TIME("file-modified-time");

    private final String label;

    Basis(String label) {
      this.label = label;
    }

    /** The spelling used in output: {@code commit}, {@code file-modified-time}, ... */
    public String label() {
      return label;
    }
  }

  /** Checks that every field is present, and that a commit is named exactly when one is used. */
  public ItemSnapshot {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(commit, "commit");
    boolean fromCommit = basis == Basis.COMMIT || basis == Basis.SHALLOW_BOUNDARY;
    if (fromCommit != commit.isPresent()) {
      throw new IllegalArgumentException(
          "a snapshot based on "
              + basis.label()
              + (fromCommit ? " must name its commit" : " must not name a commit"));
    }
    at = at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }

  /** A snapshot read from commit {@code id}, committed at {@code at}. */
  public static ItemSnapshot commit(Instant at, String id) {
    return new ItemSnapshot(at, Basis.COMMIT, Optional.of(id));
  }

  /** A snapshot read from the boundary commit {@code id} of a shallow clone. */
  public static ItemSnapshot shallowBoundary(Instant at, String id) {
    return new ItemSnapshot(at, Basis.SHALLOW_BOUNDARY, Optional.of(id));
  }

  /** A snapshot read from the modification time of a file with uncommitted changes. */
  public static ItemSnapshot uncommittedChange(Instant modified) {
    return new ItemSnapshot(modified, Basis.UNCOMMITTED_CHANGE, Optional.empty());
  }

  /** A snapshot read from the modification time of a file no Git history holds. */
  public static ItemSnapshot fileModifiedTime(Instant modified) {
    return new ItemSnapshot(modified, Basis.FILE_MODIFIED_TIME, Optional.empty());
  }
}
