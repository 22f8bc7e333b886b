package dev.tollgate.core.runs.template;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.runs.NewRun;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * A builder of the {@link NewRun} that runs a template with given parameters, got from {@link
 * RunTemplate#newRun}: the one way {@code tollgate runs enqueue}, the control plane and embedders
 * enqueue from a template, so all of them get the same checks, defaults and sealing.
 *
 * <p>{@link #build} checks the parameters against the template's schema, fills in the schema's
 * defaults, seals the values of the template's {@code writeOnly} parameters with the key given to
 * {@code cipher} and keeps them apart from the visible parameters (which show {@code ***} in their
 * place), and records the template's definition by its hash together with its lane, attempts,
 * backoff and timeout, unless the enqueuer chose another lane or number of attempts.
 *
 * <p>The setters only record what the enqueuer chose; {@link #build} checks everything, parameter
 * problems first, so that one call reports them in a fixed order. Not thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class TemplateRunBuilder {
  private final RunTemplate template;
  private final RunParams params;
  private Supplier<Optional<ParamsCipher>> cipher = Optional::empty;
  private String lane;
  private int priority;
  private Integer maxAttempts;
  private String idempotencyKey;
  private Long retryOf;

  TemplateRunBuilder(RunTemplate template, RunParams params) {
    this.template = Objects.requireNonNull(template, "template");
    this.params = Objects.requireNonNull(params, "params");
  }

  /**
   * Sets the key that seals the values of {@code writeOnly} parameters (default: none, which
   * refuses such a value).
   */
  public TemplateRunBuilder cipher(ParamsCipher key) {
    Objects.requireNonNull(key, "key");
    return cipher(() -> Optional.of(key));
  }

  /**
   * Sets where the key that seals the values of {@code writeOnly} parameters comes from, e.g.
   * {@code () -> ParamsCipher.fromEnvironment(System.getenv())}. {@link #build} asks it once, after
   * the parameters pass, and only when the template has {@code writeOnly} parameters, so a missing
   * or malformed key stops no run of a template without secrets.
   */
  public TemplateRunBuilder cipher(Supplier<Optional<ParamsCipher>> source) {
    this.cipher = Objects.requireNonNull(source, "source");
    return this;
  }

  /** Sets the lane; null (the default) keeps the template's. */
  public TemplateRunBuilder lane(String value) {
    this.lane = value;
    return this;
  }

  /** Sets the priority, -1000..1000 (default 0; higher runs first within the lane). */
  public TemplateRunBuilder priority(int value) {
    this.priority = value;
    return this;
  }

  /** Sets the attempts allowed, 1..100; null (the default) keeps the template's. */
  public TemplateRunBuilder maxAttempts(Integer value) {
    this.maxAttempts = value;
    return this;
  }

  /**
   * Sets the idempotency key, 1..200 characters: while a run with it is queued or running, the
   * queue returns that run instead of enqueuing another. Null (the default): none.
   */
  public TemplateRunBuilder idempotencyKey(String value) {
    this.idempotencyKey = value;
    return this;
  }

  /** Links the run to the one it retries (set by {@link RunTemplate#retrying}). */
  TemplateRunBuilder retryOf(long runId) {
    this.retryOf = runId;
    return this;
  }

  /**
   * The run, ready for {@code RunQueue#enqueue}.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} listing every problem with the parameters,
   *     one per line as {@code place: message (hint)} with the {@link Diagnostic}s attached, or
   *     naming a {@code writeOnly} parameter given a value without a cipher
   * @throws IllegalArgumentException naming the value when the lane, priority, attempts or
   *     idempotency key (chosen, or taken from the template) is not one the queue accepts
   */
  public NewRun build() {
    List<Diagnostic> problems = template.validateParams(params);
    if (!problems.isEmpty()) {
      throw new TollgateException(
          TollgateException.Kind.BAD_INPUT, describe(problems), problems, null);
    }
    // Secret (writeOnly) values are sealed here and stored apart; only a key holder reads them.
    SecretParams stored =
        SecretParams.split(
            template,
            template.withDefaults(params.values()),
            template.writeOnlyParams().isEmpty() ? Optional.empty() : cipher.get());
    return stored
        .applyTo(
            NewRun.builder(template.name())
                .templateDefinition(template.contentHash(), template.source()))
        .lane(lane != null ? lane : template.lane())
        .priority(priority)
        .maxAttempts(maxAttempts != null ? maxAttempts : template.maxAttempts())
        .backoff(template.backoff(), template.maxBackoff())
        .timeout(template.timeout())
        .idempotencyKey(idempotencyKey)
        .retryOf(retryOf)
        .build();
  }

  private static String describe(List<Diagnostic> problems) {
    StringBuilder message = new StringBuilder();
    for (Diagnostic d : problems) {
      if (message.length() > 0) {
        message.append('\n');
      }
      message.append(d.location()).append(": ").append(d.message());
      d.hint().ifPresent(h -> message.append(" (").append(h).append(')'));
    }
    return message.toString();
  }
}
