package dev.tollgate.cli.items;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.actions.report.JsonText;
import java.util.Optional;

/**
 * How the work-item commands print JSON. The shapes themselves are the library's ({@link
 * dev.tollgate.policy.WorkItemJson}), so the CLI prints what the control plane and embedders get;
 * this class only builds the few envelopes that exist only here and prints indented text.
 */
public final class ItemsJson {
  private ItemsJson() {}

  /** A new empty object. */
  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** A new empty array. */
  static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** {@code node} as indented JSON ending with a newline. */
  static String write(JsonNode node) {
    return JsonText.pretty(node);
  }

  /** Sets {@code key} to the value or {@code null}. */
  static void put(ObjectNode node, String key, Optional<String> value) {
    if (value.isPresent()) {
      node.put(key, value.get());
    } else {
      node.putNull(key);
    }
  }
}
