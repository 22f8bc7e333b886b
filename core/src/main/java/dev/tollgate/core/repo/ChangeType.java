package dev.tollgate.core.repo;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** How a file changed between two commits. */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum ChangeType {
  /** The file is new. */
  ADDED,
  /** The file's content or mode changed in place. */
  MODIFIED,
  /** The file is gone. */
  DELETED,
  /** The file moved, possibly with edits; {@link ChangedFile#oldPath()} says from where. */
  RENAMED,
  /** The file was copied from another, possibly with edits. */
  COPIED
}
