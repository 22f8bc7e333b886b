package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.core.TollgateException;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A run to enqueue, built with {@link #builder(String)}; every setter checks its input. A run of a
 * template is built by {@code RunTemplate#newRun}, which checks and seals its parameters and
 * records the template's definition; a retry by {@link #retrying}.
 *
 * @param template the template name
 * @param templateHash the SHA-256 of the template definition, or null
 * @param templateDefinition the template's text, stored once per hash, or null
 * @param lane the lane
 * @param params the parameters, a JSON object, stored in clear (secret values are not here)
 * @param sealedParams the secret parameters sealed by {@code ParamsCipher#seal}, stored apart from
 *     {@code params}, or null
 * @param priority higher is claimed first within the lane
 * @param maxAttempts attempts allowed before a lost worker fails the run
 * @param idempotencyKey a key unique among live runs, or null
 * @param backoff the base retry delay after a lost worker
 * @param maxBackoff the cap on that delay
 * @param timeout the run's time limit, or null
 * @param retryOf the run this one retries, or null
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record NewRun(
    String template,
    String templateHash,
    String templateDefinition,
    String lane,
    JsonNode params,
    String sealedParams,
    int priority,
    int maxAttempts,
    String idempotencyKey,
    Duration backoff,
    Duration maxBackoff,
    Duration timeout,
    Long retryOf) {

  /** Lane names: lower-case letters, digits, '-', '_' and '.'. */
  public static final Pattern LANE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  /** The default lane. */
  public static final String DEFAULT_LANE = "default";

  /** The longest backoff a run may have, base or cap: 24 days (the queue stores milliseconds). */
  public static final Duration MAX_BACKOFF = Duration.ofDays(24);

  /** The longest sealed parameter text accepted. */
  public static final int MAX_SEALED_LENGTH = 1 << 16;

  /** Returns a builder for a run of {@code template}. */
  public static Builder builder(String template) {
    return new Builder(template);
  }

  /**
   * The run that retries {@code original}: the same template definition, lane, parameters (the
   * sealed secret values copied as they are, so retrying needs no key), priority, attempts, backoff
   * and timeout, linked to {@code original}, without its idempotency key.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} unless {@code original} ended in error or
   *     was cancelled
   */
  public static NewRun retrying(Run original) {
    Objects.requireNonNull(original, "original");
    if (original.status() != RunStatus.ERROR && original.status() != RunStatus.CANCELLED) {
      throw TollgateException.badInput(
          "run "
              + original.id()
              + " is "
              + original.status().wireName()
              + "; only a run that ended in error or was cancelled can be retried");
    }
    Builder next =
        builder(original.template())
            .lane(original.lane())
            .params(original.params())
            .sealedParams(original.sealedParams())
            .priority(original.priority())
            .maxAttempts(original.maxAttempts())
            .backoff(original.backoff(), original.maxBackoff())
            .timeout(original.timeout())
            .retryOf(original.id());
    if (original.templateHash() != null) {
      // The definition is already stored under its hash; enqueue_run only links to it.
      next.templateDefinition(original.templateHash(), "");
    }
    return next.build();
  }

  /** A builder of {@link NewRun}. */
  public static final class Builder {
    private final String template;
    private String templateHash;
    private String templateDefinition;
    private String lane = DEFAULT_LANE;
    private JsonNode params = JsonNodeFactory.instance.objectNode();
    private String sealedParams;
    private int priority;
    private int maxAttempts = 3;
    private String idempotencyKey;
    private Duration backoff = Duration.ofSeconds(2);
    private Duration maxBackoff = Duration.ofMinutes(5);
    private Duration timeout;
    private Long retryOf;

    private Builder(String template) {
      if (template == null || template.isBlank()) {
        throw new IllegalArgumentException("template name must not be blank");
      }
      this.template = template;
    }

    /** Records the template definition the run uses, by hash. */
    public Builder templateDefinition(String sha256, String definition) {
      if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("template hash must be 64 hex digits, got " + sha256);
      }
      this.templateHash = sha256;
      this.templateDefinition = Objects.requireNonNull(definition, "definition");
      return this;
    }

    /** Sets the lane (default {@code default}). */
    public Builder lane(String value) {
      if (value == null || !LANE.matcher(value).matches()) {
        throw new IllegalArgumentException(
            "lane: expected lower-case letters, digits, '.', '_' or '-' (at most 63), found '"
                + value
                + "'");
      }
      this.lane = value;
      return this;
    }

    /** Sets the parameters, a JSON object. */
    public Builder params(JsonNode value) {
      if (value == null || !value.isObject()) {
        throw new IllegalArgumentException("params must be a JSON object, got " + value);
      }
      this.params = value;
      return this;
    }

    /**
     * Sets the secret parameters, sealed by {@code ParamsCipher#seal} (null: none). They are stored
     * apart from the parameters and reach the steps only through a worker holding the key.
     */
    public Builder sealedParams(String value) {
      if (value != null
          && (value.isBlank()
              || value.length() > MAX_SEALED_LENGTH
              || value.chars().anyMatch(Character::isWhitespace))) {
        throw new IllegalArgumentException(
            "sealed params must be 1.."
                + MAX_SEALED_LENGTH
                + " characters without spaces, as ParamsCipher.seal writes them");
      }
      this.sealedParams = value;
      return this;
    }

    /** Sets the priority (default 0; higher first). */
    public Builder priority(int value) {
      if (value < -1000 || value > 1000) {
        throw new IllegalArgumentException("priority must be in -1000..1000, got " + value);
      }
      this.priority = value;
      return this;
    }

    /** Sets the attempts allowed (default 3). */
    public Builder maxAttempts(int value) {
      if (value < 1 || value > 100) {
        throw new IllegalArgumentException("max attempts must be in 1..100, got " + value);
      }
      this.maxAttempts = value;
      return this;
    }

    /** Sets the idempotency key. */
    public Builder idempotencyKey(String value) {
      if (value != null && (value.isBlank() || value.length() > 200)) {
        throw new IllegalArgumentException(
            "idempotency key must be 1..200 characters, got '" + value + "'");
      }
      this.idempotencyKey = value;
      return this;
    }

    /** Sets the backoff base and cap after a lost worker (defaults 2 s and 5 min). */
    public Builder backoff(Duration base, Duration cap) {
      if (base == null || base.isNegative() || cap == null || cap.compareTo(base) < 0) {
        throw new IllegalArgumentException(
            "backoff must be non-negative and at most max_backoff, got " + base + " and " + cap);
      }
      if (cap.compareTo(MAX_BACKOFF) > 0) {
        throw new IllegalArgumentException("max_backoff must be at most 24 days, got " + cap);
      }
      this.backoff = base;
      this.maxBackoff = cap;
      return this;
    }

    /** Sets the run's time limit. */
    public Builder timeout(Duration value) {
      if (value != null && (value.isNegative() || value.isZero())) {
        throw new IllegalArgumentException("timeout must be positive, got " + value);
      }
      this.timeout = value;
      return this;
    }

    /** Links the run to the run it retries. */
    public Builder retryOf(Long value) {
      this.retryOf = value;
      return this;
    }

    /** Returns the run. */
    public NewRun build() {
      return new NewRun(
          template,
          templateHash,
          templateDefinition,
          lane,
          params,
          sealedParams,
          priority,
          maxAttempts,
          idempotencyKey,
          backoff,
          maxBackoff,
          timeout,
          retryOf);
    }
  }
}
