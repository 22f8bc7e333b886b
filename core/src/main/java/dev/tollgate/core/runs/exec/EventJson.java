package dev.tollgate.core.runs.exec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** The JSON of a step event's data, kept out of the {@link StepEvent} interface's fields. */
final class EventJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EventJson() {}

  /** {@code data} as a JSON object, in its order. */
  static ObjectNode of(Map<String, Object> data) {
    return JSON.valueToTree(data);
  }
}
