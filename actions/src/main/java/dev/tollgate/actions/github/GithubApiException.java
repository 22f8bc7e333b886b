package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.TollgateException;
import java.util.Objects;
import java.util.OptionalInt;
import org.apiguardian.api.API;

/**
 * A GitHub API call that failed for good (after the retries its {@link RetryPolicy} allows), with
 * what was being done, the HTTP status and GitHub's own message. It is a {@link TollgateException}
 * of kind {@code COULD_NOT_FINISH}: the runner exits 3.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class GithubApiException extends TollgateException {
  private static final long serialVersionUID = 1L;

  /** Why the call failed. */
  public enum Reason {
    /** 401: the token is wrong, revoked or expired. */
    UNAUTHORIZED,
    /**
     * 403 without a rate limit: the token may not do this, e.g. "Resource not accessible by
     * integration" for a fork's read-only token.
     */
    FORBIDDEN,
    /** 404: the repository, pull request or object does not exist, or the token cannot see it. */
    NOT_FOUND,
    /** 403 or 429 for a rate limit that did not clear within the wait bound. */
    RATE_LIMITED,
    /** Another 4xx: GitHub refused the request's content, e.g. 422. */
    REJECTED,
    /** 5xx: GitHub failed. */
    SERVER_ERROR,
    /** No answer: the connection failed or timed out. */
    UNREACHABLE
  }

  private final String operation;
  private final Reason reason;
  private final int status;
  private final String githubMessage;

  /**
   * A failure of {@code operation} ("listing the comments of #7").
   *
   * @param status the HTTP status, or -1 without an answer
   * @param githubMessage GitHub's {@code message}, or the transport's error text
   */
  public GithubApiException(
      String operation, Reason reason, int status, String githubMessage, Throwable cause) {
    super(
        TollgateException.Kind.COULD_NOT_FINISH,
        describe(operation, reason, status, githubMessage),
        cause);
    this.operation = Objects.requireNonNull(operation, "operation");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.status = status;
    this.githubMessage = Objects.requireNonNull(githubMessage, "githubMessage");
  }

  /** What was being done when the call failed. */
  public String operation() {
    return operation;
  }

  /** Why it failed. */
  public Reason reason() {
    return reason;
  }

  /** The HTTP status; empty when no answer came. */
  public OptionalInt status() {
    return status < 0 ? OptionalInt.empty() : OptionalInt.of(status);
  }

  /** GitHub's message, e.g. {@code Resource not accessible by integration}. */
  public String githubMessage() {
    return githubMessage;
  }

  /**
   * Whether this is the read-only token of a fork's pull request (or any token without the
   * permission): a 403 that is not a rate limit.
   */
  public boolean notPermitted() {
    return reason == Reason.FORBIDDEN;
  }

  private static String describe(String operation, Reason reason, int status, String message) {
    String answer = status < 0 ? "" : " (" + status + " " + message + ")";
    return switch (reason) {
      case UNAUTHORIZED ->
          "GitHub rejected the token while "
              + operation
              + answer
              + ": it is invalid, revoked or expired; check the github-token input (the"
              + " workflow's GITHUB_TOKEN expires when its job ends)";
      case FORBIDDEN ->
          "GitHub refused "
              + operation
              + answer
              + ": the token lacks the permission (a fork's pull request gets a read-only token)";
      case NOT_FOUND ->
          "GitHub found nothing while "
              + operation
              + answer
              + ": it does not exist or the token cannot see it";
      case RATE_LIMITED ->
          "GitHub's rate limit stopped "
              + operation
              + answer
              + " and did not clear within the retry bound; re-run the job later";
      case REJECTED -> "GitHub rejected " + operation + answer;
      case SERVER_ERROR -> "GitHub failed while " + operation + answer + "; re-run the job";
      case UNREACHABLE -> "cannot reach GitHub while " + operation + ": " + message;
    };
  }
}
