package dev.tollgate.core.repo;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One file in a {@link ChangeSet}: where it is, how it changed and how many lines were added and
 * deleted.
 *
 * @param path the path after the change (for a deleted file, the path it had), relative to the
 *     repository root with {@code /} separators
 * @param oldPath the path before a rename or copy; empty otherwise
 * @param type how it changed
 * @param added lines added; 0 for binary files
 * @param deleted lines deleted; 0 for binary files
 * @param binary whether either side is binary, so line counts say nothing
 * @param blobId the object id of the new content; empty for a deleted file
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record ChangedFile(
    String path,
    Optional<String> oldPath,
    ChangeType type,
    int added,
    int deleted,
    boolean binary,
    Optional<String> blobId) {

  /** Checks the path and counts. */
  public ChangedFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(oldPath, "oldPath");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(blobId, "blobId");
    if (path.isEmpty() || path.indexOf('\\') >= 0) {
      throw new IllegalArgumentException(
          "path must be a non-empty '/'-separated path but was '" + path + "'");
    }
    if (added < 0 || deleted < 0) {
      throw new IllegalArgumentException(
          "line counts must not be negative but were +" + added + " -" + deleted);
    }
    if (type == ChangeType.DELETED && blobId.isPresent()) {
      throw new IllegalArgumentException("a deleted file has no new content: " + path);
    }
  }

  /** Lines added plus lines deleted. */
  public int changedLines() {
    return added + deleted;
  }

  /** Whether the file exists after the change (it was not deleted). */
  public boolean present() {
    return type != ChangeType.DELETED;
  }
}
