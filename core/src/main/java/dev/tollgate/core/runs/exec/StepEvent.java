package dev.tollgate.core.runs.exec;

import dev.tollgate.core.runs.NewEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened while a step ran, as the run's event log records it: the step started, a
 * line of output, an HTTP response or error, the step finished.
 *
 * <p>Every event has a {@link #kind()} ({@code step_started}, {@code output}, {@code
 * http_response}, {@code http_error}, {@code step_finished}), a {@link #text()} for people and
 * {@link #data()} for machines (JSON-friendly values: strings, numbers, booleans). Texts are masked
 * by the runner before the event is made.
 */
public sealed interface StepEvent {

  /** The name of the step it is about. */
  String step();

  /** When it happened, by the runner's clock. */
  Instant at();

  /** What kind of event it is, in snake case. */
  String kind();

  /** The event for people: an output line, a one-line summary. */
  String text();

  /** The event's fields for machines, in a fixed order. */
  Map<String, Object> data();

  /**
   * This event as a run's event log records it: its kind, the stream of an output line, its text
   * and its data as JSON. Runs and deploys log step events through this one conversion.
   */
  default NewEvent toNewEvent() {
    String stream = this instanceof Output o ? o.stream().label() : null;
    return new NewEvent(kind(), stream, text(), EventJson.of(data()));
  }

  /** Which output stream a line came from. */
  enum Stream {
    /** Standard output. */
    STDOUT,
    /** Standard error. */
    STDERR;

    /** {@code stdout} or {@code stderr}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The step started.
   *
   * @param stepKind {@code shell}, {@code http} or {@code docker}
   * @param description what is about to run, e.g. {@code GET https://host/health}
   * @param timeoutMillis the time it has
   */
  record Started(String step, Instant at, String stepKind, String description, long timeoutMillis)
      implements StepEvent {
    /** Checks every field. */
    public Started {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(stepKind, "stepKind");
      Objects.requireNonNull(description, "description");
    }

    @Override
    public String kind() {
      return "step_started";
    }

    @Override
    public String text() {
      return description;
    }

    @Override
    public Map<String, Object> data() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("step", step);
      d.put("step_kind", stepKind);
      d.put("timeout_ms", timeoutMillis);
      return d;
    }
  }

  /**
   * One line a process wrote, without its line ending; a very long line comes as several events.
   *
   * @param stream where it was written
   * @param line the text
   */
  record Output(String step, Instant at, Stream stream, String line) implements StepEvent {
    /** Checks every field. */
    public Output {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(stream, "stream");
      Objects.requireNonNull(line, "line");
    }

    @Override
    public String kind() {
      return "output";
    }

    @Override
    public String text() {
      return line;
    }

    @Override
    public Map<String, Object> data() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("step", step);
      d.put("stream", stream.label());
      return d;
    }
  }

  /**
   * An HTTP step got a response.
   *
   * @param attempt which attempt of the step it answers, from 1
   * @param method the request method
   * @param url the URL requested, parameters substituted
   * @param status the status code
   * @param millis how long the request took until the response
   * @param expected whether the status counts as success
   * @param bodyExcerpt at most the first 2 KiB of the body, as text
   */
  record HttpResponse(
      String step,
      Instant at,
      int attempt,
      String method,
      String url,
      int status,
      long millis,
      boolean expected,
      String bodyExcerpt)
      implements StepEvent {
    /** Checks every field. */
    public HttpResponse {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(bodyExcerpt, "bodyExcerpt");
    }

    @Override
    public String kind() {
      return "http_response";
    }

    @Override
    public String text() {
      return "attempt "
          + attempt
          + ": "
          + method
          + " "
          + url
          + " answered "
          + status
          + " in "
          + millis
          + " ms"
          + (expected ? "" : " (not an expected status)");
    }

    @Override
    public Map<String, Object> data() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("step", step);
      d.put("attempt", attempt);
      d.put("method", method);
      d.put("url", url);
      d.put("status", status);
      d.put("millis", millis);
      d.put("expected", expected);
      d.put("body", bodyExcerpt);
      return d;
    }
  }

  /**
   * An HTTP step's request got no response: no connection, a reset, a request timeout.
   *
   * @param attempt which attempt of the step failed, from 1
   * @param error what went wrong
   * @param millis how long the attempt took
   */
  record HttpError(
      String step, Instant at, int attempt, String method, String url, String error, long millis)
      implements StepEvent {
    /** Checks every field. */
    public HttpError {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(error, "error");
    }

    @Override
    public String kind() {
      return "http_error";
    }

    @Override
    public String text() {
      return "attempt "
          + attempt
          + ": "
          + method
          + " "
          + url
          + " failed after "
          + millis
          + " ms: "
          + error;
    }

    @Override
    public Map<String, Object> data() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("step", step);
      d.put("attempt", attempt);
      d.put("method", method);
      d.put("url", url);
      d.put("error", error);
      d.put("millis", millis);
      return d;
    }
  }

  /**
   * The step ended; always the step's last event.
   *
   * @param outcome how it ended
   */
  record Finished(String step, Instant at, StepOutcome outcome) implements StepEvent {
    /** Checks every field. */
    public Finished {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(outcome, "outcome");
    }

    @Override
    public String kind() {
      return "step_finished";
    }

    @Override
    public String text() {
      return "step " + step + " " + outcome.summary();
    }

    @Override
    public Map<String, Object> data() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("step", step);
      d.put("status", outcome.status());
      if (outcome instanceof StepOutcome.Failed f) {
        f.exitCode().ifPresent(c -> d.put("exit_code", c));
        d.put("reason", f.reason());
      } else if (outcome instanceof StepOutcome.Cancelled c) {
        d.put("reason", c.reason());
      }
      d.put("millis", outcome.elapsed().toMillis());
      return d;
    }
  }
}
