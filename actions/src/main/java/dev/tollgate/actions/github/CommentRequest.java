package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

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
@API(status = EXPERIMENTAL, since = "0.1.0")
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

  /** A builder; {@code onPass} defaults to {@link PassingComment#UPDATE}, the rest is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link CommentRequest}; {@link #build()} checks the parts. */
  public static final class Builder {
    private int pullRequest;
    private CommentKey key;
    private CommentMode mode;
    private PassingComment onPass = PassingComment.UPDATE;
    private boolean passed;
    private CommentBody body;
    private String passingBody = "";

    private Builder() {}

    /** The pull request's number. */
    public Builder pullRequest(int pullRequest) {
      this.pullRequest = pullRequest;
      return this;
    }

    /** Which sticky comment. */
    public Builder key(CommentKey key) {
      this.key = Objects.requireNonNull(key, "key");
      return this;
    }

    /** Update in place, delete and re-post, or leave alone. */
    public Builder mode(CommentMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** What a passing run does to the comment. */
    public Builder onPass(PassingComment onPass) {
      this.onPass = Objects.requireNonNull(onPass, "onPass");
      return this;
    }

    /** Whether every gate passed, so that {@code passingBody} replaces the body. */
    public Builder passed(boolean passed) {
      this.passed = passed;
      return this;
    }

    /** The comment's Markdown, in decreasing detail, without the marker. */
    public Builder body(CommentBody body) {
      this.body = Objects.requireNonNull(body, "body");
      return this;
    }

    /** The short verdict a passing run leaves, without the marker; default empty. */
    public Builder passingBody(String passingBody) {
      this.passingBody = Objects.requireNonNull(passingBody, "passingBody");
      return this;
    }

    /**
     * The request.
     *
     * @throws IllegalArgumentException for a pull request number below 1
     * @throws NullPointerException when the key, mode or body is missing
     */
    public CommentRequest build() {
      return new CommentRequest(pullRequest, key, mode, onPass, passed, body, passingBody);
    }
  }

  /**
   * A comment that is always posted (never a passing verdict), as {@code tollgate comment} does.
   */
  public static CommentRequest always(
      int pullRequest, CommentKey key, CommentMode mode, CommentBody body) {
    return new CommentRequest(pullRequest, key, mode, PassingComment.UPDATE, false, body, "");
  }
}
