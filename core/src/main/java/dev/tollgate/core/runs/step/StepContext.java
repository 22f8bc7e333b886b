package dev.tollgate.core.runs.step;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Everything a {@link dev.tollgate.core.runs.exec.StepRunner} needs to know about the run a step
 * belongs to: which run and attempt, its parameters, where to work, where events go, how to tell it
 * to stop, what to mask, and how much time is left. Build one with {@link #builder(long, int)}.
 *
 * @param runId the run's id
 * @param attempt which attempt of the run this is, from 1
 * @param params the run's parameters, an object of name to value
 * @param workingDirectory the folder shell steps run in (and resolve {@code workdir} against)
 * @param events where the step's events go
 * @param cancellation flipped by the worker to stop the step
 * @param secrets the values to mask in every emitted text
 * @param timeLimit the most the step may take on top of its own timeout, typically what is left of
 *     the run's timeout; the runner uses the shorter of the two. Empty: only the step's own
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record StepContext(
    long runId,
    int attempt,
    ObjectNode params,
    Path workingDirectory,
    EventSink events,
    CancellationSignal cancellation,
    Secrets secrets,
    Optional<Duration> timeLimit) {

  /** Checks every field. */
  public StepContext {
    if (runId < 1) {
      throw new IllegalArgumentException("runId must be >= 1 but was " + runId);
    }
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1 but was " + attempt);
    }
    params = Objects.requireNonNull(params, "params").deepCopy();
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(cancellation, "cancellation");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(timeLimit, "timeLimit");
    timeLimit.ifPresent(StepContext::checkTimeLimit);
  }

  /** A copy of the parameters (the record keeps its own). */
  @Override
  public ObjectNode params() {
    return params.deepCopy();
  }

  /**
   * A builder for attempt {@code attempt} of run {@code runId}, with no parameters, the current
   * folder as working directory, events discarded, a fresh signal, no secrets and no time limit
   * beyond the step's own.
   */
  public static Builder builder(long runId, int attempt) {
    return new Builder(runId, attempt);
  }

  private static Duration checkTimeLimit(Duration limit) {
    if (limit.isNegative()) {
      throw new IllegalArgumentException("timeLimit must not be negative but was " + limit);
    }
    return limit;
  }

  /** A builder of {@link StepContext}s whose setters check their input. */
  public static final class Builder {
    private final long runId;
    private final int attempt;
    private ObjectNode params = JsonNodeFactory.instance.objectNode();
    private Path workingDirectory = Path.of("").toAbsolutePath();
    private EventSink events = EventSink.discard();
    private CancellationSignal cancellation = CancellationSignal.create();
    private Secrets secrets = Secrets.none();
    private Optional<Duration> timeLimit = Optional.empty();

    private Builder(long runId, int attempt) {
      if (runId < 1) {
        throw new IllegalArgumentException("runId must be >= 1 but was " + runId);
      }
      if (attempt < 1) {
        throw new IllegalArgumentException("attempt must be >= 1 but was " + attempt);
      }
      this.runId = runId;
      this.attempt = attempt;
    }

    /** Sets the parameters, which must be a JSON object. */
    public Builder params(JsonNode value) {
      Objects.requireNonNull(value, "params");
      if (!value.isObject()) {
        throw new IllegalArgumentException(
            "params must be a JSON object but was " + value.getNodeType());
      }
      this.params = (ObjectNode) value;
      return this;
    }

    /** Sets the working directory; made absolute. */
    public Builder workingDirectory(Path value) {
      this.workingDirectory = Objects.requireNonNull(value, "workingDirectory").toAbsolutePath();
      return this;
    }

    /** Sets where events go. */
    public Builder events(EventSink value) {
      this.events = Objects.requireNonNull(value, "events");
      return this;
    }

    /** Sets the signal the worker flips to stop the step. */
    public Builder cancellation(CancellationSignal value) {
      this.cancellation = Objects.requireNonNull(value, "cancellation");
      return this;
    }

    /** Sets the values to mask. */
    public Builder secrets(Secrets value) {
      this.secrets = Objects.requireNonNull(value, "secrets");
      return this;
    }

    /** Sets the most the step may take on top of its own timeout; not negative. */
    public Builder timeLimit(Duration value) {
      this.timeLimit = Optional.of(checkTimeLimit(Objects.requireNonNull(value, "timeLimit")));
      return this;
    }

    /** The context. */
    public StepContext build() {
      return new StepContext(
          runId, attempt, params, workingDirectory, events, cancellation, secrets, timeLimit);
    }
  }
}
