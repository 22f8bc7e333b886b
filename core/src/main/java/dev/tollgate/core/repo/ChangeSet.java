package dev.tollgate.core.repo;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The difference between two commits, as a pull request shows it: the files changed from the merge
 * base of {@code base} and {@code head} to {@code head}, sorted by path.
 *
 * @param base the commit id the change starts from (the merge base when there is one)
 * @param head the commit id the change ends at
 * @param files the changed files, sorted by path
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record ChangeSet(String base, String head, List<ChangedFile> files) {

  /** Copies and sorts the files. */
  public ChangeSet {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(head, "head");
    files = files.stream().sorted(Comparator.comparing(ChangedFile::path)).toList();
  }

  /** How many files changed. */
  public int fileCount() {
    return files.size();
  }

  /** Lines added over every file. */
  public long added() {
    return files.stream().mapToLong(ChangedFile::added).sum();
  }

  /** Lines deleted over every file. */
  public long deleted() {
    return files.stream().mapToLong(ChangedFile::deleted).sum();
  }

  /** Lines added plus lines deleted over every file. */
  public long changedLines() {
    return added() + deleted();
  }
}
