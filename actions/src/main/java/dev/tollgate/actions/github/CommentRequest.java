package dev.tollgate.actions.github;

import java.util.Objects;

/**
 * What to do with one sticky comment on one pull request.
 *
 * @param pullRequest the pull request's number
 * @param key which sticky comment
 * @param mode update in place, delete and re-post, or leave alone
 * @param onPass what a passing run does to the comment
 * @param passed whether every gate passed (then {@code passingBody} replaces {@code body})
 * @param body the comment's Markdown, in decreasing detail, without the marker
 * @param passingBody the short verdict a passing run leaves, without the marker
 */
public record CommentRequest(
    int pullRequest,
    CommentKey key,
    CommentMode mode,
    PassingComment onPass,
    boolean passed,
    CommentBody body,
    String passingBody) {

  /** Checks the parts. */
  public CommentRequest {
    if (pullRequest < 1) {
      throw new IllegalArgumentException(
          "pullRequest must be a pull request number (1 or more) but was " + pullRequest);
    }
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(onPass, "onPass");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(passingBody, "passingBody");
  }

  /**
   * A comment that is always posted (never a passing verdict), as {@code tollgate comment} does.
   */
  public static CommentRequest always(
      int pullRequest, CommentKey key, CommentMode mode, CommentBody body) {
    return new CommentRequest(pullRequest, key, mode, PassingComment.UPDATE, false, body, "");
  }
}
