package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What happened to a sticky comment.
 *
 * @param action what was done
 * @param url the comment's address on GitHub; empty when there is no comment
 * @param duplicatesDeleted how many extra copies (from runs that raced) were deleted
 * @param note why nothing was posted, when nothing was
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record CommentResult(
    Action action, Optional<String> url, int duplicatesDeleted, Optional<String> note) {

  /** What was done to the comment. */
  public enum Action {
    /** A new comment was posted. */
    CREATED,
    /** The existing comment was edited. */
    UPDATED,
    /** The existing comment already said the same; it was left as is. */
    UNCHANGED,
    /** The comment was deleted and posted anew ({@code comment: recreate}). */
    RECREATED,
    /** The comment was deleted (passing run with {@code on-pass: delete}). */
    DELETED,
    /** Nothing to do: comments are off, or a passing run had no comment to update. */
    NONE,
    /** The token may not comment (a fork's read-only token); nothing was posted. */
    NOT_PERMITTED
  }

  /** Checks the parts. */
  public CommentResult {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(note, "note");
    if (duplicatesDeleted < 0) {
      throw new IllegalArgumentException(
          "duplicatesDeleted must not be negative but was " + duplicatesDeleted);
    }
  }
}
