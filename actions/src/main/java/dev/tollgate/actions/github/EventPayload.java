package dev.tollgate.actions.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.TollgateException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Field access on a webhook payload, with messages that name the event and the field. */
final class EventPayload {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final Pattern QUEUE_BRANCH =
      Pattern.compile("gh-readonly-queue/.+/pr-([0-9]+)-[0-9a-f]{40}$");

  private final String event;
  private final JsonNode root;

  EventPayload(String event, JsonNode root) {
    this.event = event;
    this.root = root;
  }

  JsonNode node(String path) {
    JsonNode n = root;
    for (String part : path.split("\\.")) {
      n = n.path(part);
    }
    return n;
  }

  Optional<String> optionalText(String path) {
    JsonNode n = node(path);
    return n.isValueNode() && !n.isNull() ? Optional.of(n.asText()) : Optional.empty();
  }

  String text(String path) {
    JsonNode n = node(path);
    if (!n.isTextual()) {
      throw malformed(path, "a string", n);
    }
    return n.asText();
  }

  String sha(String path) {
    String s = text(path);
    if (!s.matches("[0-9a-f]{40}")) {
      throw TollgateException.badInput(
          "the "
              + event
              + " event payload's "
              + path
              + " must be a 40-character commit id but was '"
              + s
              + "'");
    }
    return s;
  }

  int number(String path) {
    JsonNode n = node(path);
    if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1) {
      throw malformed(path, "a positive number", n);
    }
    return n.asInt();
  }

  private TollgateException malformed(String path, String expected, JsonNode actual) {
    return TollgateException.badInput(
        "the "
            + event
            + " event payload's "
            + path
            + (actual.isMissingNode()
                ? " is missing"
                : " must be "
                    + expected
                    + " but was "
                    + actual.getNodeType().name().toLowerCase(Locale.ROOT)));
  }
}
