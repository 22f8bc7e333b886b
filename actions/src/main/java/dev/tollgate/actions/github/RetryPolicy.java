package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * How hard the GitHub client retries: which failures it waits out, how often, and for how long in
 * total.
 *
 * <p>It retries 502, 503 and 504 answers and dropped connections of requests that are safe to
 * repeat (every method but {@code POST}), and rate-limit answers (429, or 403 with {@code
 * Retry-After}, {@code x-ratelimit-remaining: 0} or a "secondary rate limit" message) of any
 * method, because GitHub did not act on those. It waits what {@code Retry-After} or {@code
 * x-ratelimit-reset} says, else {@code initialBackoff} doubled per attempt (a minute for a
 * secondary limit without a hint, as GitHub asks). A {@code POST} that fails otherwise is never
 * repeated blindly: callers re-read and reconcile instead.
 *
 * @param maxAttempts the most attempts per request, the first included (1 = never retry)
 * @param maxTotalWait the most time spent waiting between attempts of one request; a wait that
 *     would exceed it is not started and the last answer stands
 * @param initialBackoff the first wait when GitHub gives no hint
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record RetryPolicy(int maxAttempts, Duration maxTotalWait, Duration initialBackoff) {

  /** Checks the bounds. */
  public RetryPolicy {
    Objects.requireNonNull(maxTotalWait, "maxTotalWait");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    if (maxAttempts < 1 || maxAttempts > 20) {
      throw new IllegalArgumentException(
          "maxAttempts must be between 1 and 20 but was " + maxAttempts);
    }
    if (maxTotalWait.isNegative()) {
      throw new IllegalArgumentException(
          "maxTotalWait must not be negative but was " + maxTotalWait);
    }
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException(
          "initialBackoff must be positive but was " + initialBackoff);
    }
  }

  /**
   * The default for a CI step: 4 attempts, at most 2 minutes of waiting per request, 1 second first
   * backoff.
   */
  public static RetryPolicy defaults() {
    return new RetryPolicy(4, Duration.ofMinutes(2), Duration.ofSeconds(1));
  }

  /** No retries at all. */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ofSeconds(1));
  }
}
