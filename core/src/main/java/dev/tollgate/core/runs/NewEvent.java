package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * An event a worker appends to its run's log.
 *
 * @param kind what happened, e.g. {@code output}, {@code step_started}
 * @param stream {@code stdout} or {@code stderr} for output, else null
 * @param message the text, or null
 * @param data structured details (a JSON object), or null
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record NewEvent(String kind, String stream, String message, JsonNode data) {
  /** Checks the kind. */
  public NewEvent {
    Objects.requireNonNull(kind, "kind");
    if (kind.isBlank()) {
      throw new IllegalArgumentException("event kind must not be blank");
    }
  }

  /** An output line. */
  public static NewEvent output(String stream, String line) {
    return new NewEvent("output", stream, line, null);
  }
}
