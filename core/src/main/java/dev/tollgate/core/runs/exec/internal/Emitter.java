package dev.tollgate.core.runs.exec.internal;

import dev.tollgate.core.runs.step.EventSink;
import dev.tollgate.core.runs.step.Secrets;
import dev.tollgate.core.runs.step.StepEvent;
import dev.tollgate.core.runs.step.StepOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The one way a step's events reach its {@link EventSink}: masks every text, stamps the time,
 * serialises calls from the output threads, drops whatever comes after the step finished, and keeps
 * the sink's first exception instead of letting it kill an output thread.
 */
public final class Emitter {
  private final String step;
  private final EventSink sink;
  private final Secrets secrets;
  private final Clock clock;
  private boolean closed;
  private RuntimeException failure;
  // A step_started held back until the step is about to run (see #startedLater).
  private String pendingKind;
  private String pendingDescription;
  private Duration pendingTimeout;

  /** An emitter for step {@code step}. */
  public Emitter(String step, EventSink sink, Secrets secrets, Clock clock) {
    this.step = step;
    this.sink = sink;
    this.secrets = secrets;
    this.clock = clock;
  }

  /** The secrets masked in every text. */
  public Secrets secrets() {
    return secrets;
  }

  /** {@code text} masked. */
  public String mask(String text) {
    return secrets.mask(text);
  }

  /** Emits {@code step_started}. */
  public void started(String stepKind, String description, Duration timeout) {
    emit(
        new StepEvent.Started(
            step, clock.instant(), stepKind, mask(description), timeout.toMillis()));
  }

  /**
   * Holds {@code step_started} back until {@link #startedNow()}, which the step's process calls
   * once it has been started and is held at its gate, just before it lets the step run: the event
   * is still recorded before anything of the step runs, while the process starts meanwhile. Any
   * other event emits it first, so the step's events always begin with it.
   */
  public synchronized void startedLater(String stepKind, String description, Duration timeout) {
    pendingKind = stepKind;
    pendingDescription = description;
    pendingTimeout = timeout;
  }

  /** Emits the {@code step_started} held back by {@link #startedLater}, if it has not been yet. */
  public synchronized void startedNow() {
    if (pendingKind == null) {
      return;
    }
    String kind = pendingKind;
    pendingKind = null;
    started(kind, pendingDescription, pendingTimeout);
  }

  /** Emits one {@code output} line. */
  public void output(StepEvent.Stream stream, String line) {
    emit(new StepEvent.Output(step, clock.instant(), stream, mask(line)));
  }

  /** Emits {@code http_response}. */
  public void httpResponse(
      int attempt,
      String method,
      String url,
      int status,
      long millis,
      boolean expected,
      String bodyExcerpt) {
    emit(
        new StepEvent.HttpResponse(
            step,
            clock.instant(),
            attempt,
            method,
            mask(url),
            status,
            millis,
            expected,
            mask(bodyExcerpt)));
  }

  /** Emits {@code http_error}. */
  public void httpError(int attempt, String method, String url, String error, long millis) {
    emit(
        new StepEvent.HttpError(
            step, clock.instant(), attempt, method, mask(url), mask(error), millis));
  }

  /**
   * Masks the outcome's texts, emits {@code step_finished} and stops emitting.
   *
   * @return the masked outcome
   */
  public StepOutcome finish(StepOutcome outcome) {
    StepOutcome masked = outcome;
    if (outcome instanceof StepOutcome.Failed f) {
      masked = new StepOutcome.Failed(mask(f.reason()), f.exitCode(), f.elapsed());
    } else if (outcome instanceof StepOutcome.Cancelled c) {
      masked = new StepOutcome.Cancelled(mask(c.reason()), c.elapsed());
    }
    synchronized (this) {
      emit(new StepEvent.Finished(step, clock.instant(), masked));
      closed = true;
    }
    return masked;
  }

  /** The first exception the sink threw, if any. */
  public synchronized Optional<RuntimeException> failure() {
    return Optional.ofNullable(failure);
  }

  private synchronized void emit(StepEvent event) {
    if (closed) {
      return;
    }
    if (pendingKind != null && !(event instanceof StepEvent.Started)) {
      startedNow();
    }
    try {
      sink.emit(event);
    } catch (RuntimeException e) {
      if (failure == null) {
        failure = e;
      }
    }
  }
}
