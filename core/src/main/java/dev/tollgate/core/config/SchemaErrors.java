package dev.tollgate.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.config.internal.SchemaWording;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns networknt schema violations into diagnostics that name the key, the expected and the
 * actual, at the line and column where the user wrote the value.
 */
final class SchemaErrors {
  private SchemaErrors() {}

  static List<Diagnostic> translate(
      Set<ValidationMessage> messages, ConfigDocument doc, ConfigSchema schema) {
    Set<Diagnostic> out = new TreeSet<>();
    for (ValidationMessage m : messages) {
      out.add(translate(m, doc, schema));
    }
    return new ArrayList<>(out);
  }

  private static Diagnostic translate(
      ValidationMessage m, ConfigDocument doc, ConfigSchema schema) {
    String pointer = pointer(m.getInstanceLocation());
    String where = doc.displayPath(pointer);
    String actual = doc.describe(pointer);
    JsonNode keyword = keywordValue(m, schema);
    String type = m.getType() == null ? "" : m.getType();
    switch (type) {
      case "additionalProperties", "unevaluatedProperties" -> {
        String key = m.getProperty();
        String keyPointer = ConfigDocument.child(pointer, key);
        List<String> allowed = allowedKeys(m, schema);
        String message = "unknown key '" + key + "'" + (pointer.isEmpty() ? "" : " in " + where);
        String suggestion =
            DidYouMean.suggest(key, allowed).orElseGet(() -> synonym(m, schema, key));
        if (suggestion != null) {
          message += "; did you mean `" + suggestion + "`?";
        }
        String hint =
            allowed.isEmpty() ? null : "Allowed keys: " + String.join(", ", allowed) + ".";
        return doc.keyError(keyPointer, message, hint);
      }
      case "required" -> {
        return doc.error(
            pointer,
            (pointer.isEmpty() ? "the document" : where)
                + " is missing the required key '"
                + m.getProperty()
                + "'",
            null);
      }
      default -> {
        String expectation =
            SchemaWording.expectation(type, keyword, actual)
                .orElseGet(() -> SchemaWording.withoutPath(m.getMessage()));
        return doc.error(pointer, where + " " + expectation, null);
      }
    }
  }

  /**
   * What a document of {@code schema} is, for a file that holds none: {@code a mapping with the
   * keys id, title} (its required keys), {@code a mapping (keys: a, b)} (its declared keys) or
   * {@code a mapping of names to values}.
   */
  static String expectedDocument(ConfigSchema schema) {
    List<String> required = new ArrayList<>();
    schema.node().path("required").forEach(k -> required.add(k.asText()));
    if (!required.isEmpty()) {
      return "a mapping with the keys " + String.join(", ", required);
    }
    List<String> keys = new ArrayList<>();
    schema.node().path("properties").fieldNames().forEachRemaining(keys::add);
    if (!keys.isEmpty()) {
      keys.sort(null);
      return "a mapping (keys: " + String.join(", ", keys) + ")";
    }
    return "a mapping of names to values";
  }

  private static String pointer(JsonNodePath path) {
    StringBuilder out = new StringBuilder();
    if (path == null) {
      return "";
    }
    for (int i = 0; i < path.getNameCount(); i++) {
      Object element = path.getElement(i);
      out.append(
          element instanceof Integer index
              ? ConfigDocument.child("", index)
              : ConfigDocument.child("", String.valueOf(element)));
    }
    return out.toString();
  }

  /** The value of the violated keyword in the schema, e.g. the enum's list. */
  private static JsonNode keywordValue(ValidationMessage m, ConfigSchema schema) {
    if (m.getSchemaLocation() == null) {
      return m.getSchemaNode();
    }
    JsonNode at = schema.node().at(pointer(m.getSchemaLocation().getFragment()));
    return at.isMissingNode() ? m.getSchemaNode() : at;
  }

  /**
   * The key a schema names for a word that is no typo of it, from the object schema's {@code
   * x-did-you-mean} mapping (unknown key to suggested key): {@code command} for a docker step's
   * {@code args}, as Compose and Kubernetes name it. Null when there is none.
   */
  private static String synonym(ValidationMessage m, ConfigSchema schema, String key) {
    if (m.getSchemaLocation() == null) {
      return null;
    }
    String keywordPointer = pointer(m.getSchemaLocation().getFragment());
    JsonNode suggested =
        schema.node().at(ConfigDocument.parent(keywordPointer)).path("x-did-you-mean").path(key);
    return suggested.isTextual() ? suggested.asText() : null;
  }

  /** The keys the object schema around an {@code additionalProperties: false} declares. */
  private static List<String> allowedKeys(ValidationMessage m, ConfigSchema schema) {
    List<String> keys = new ArrayList<>();
    if (m.getSchemaLocation() == null) {
      return keys;
    }
    String keywordPointer = pointer(m.getSchemaLocation().getFragment());
    JsonNode objectSchema = schema.node().at(ConfigDocument.parent(keywordPointer));
    Iterator<String> names = objectSchema.path("properties").fieldNames();
    names.forEachRemaining(keys::add);
    keys.sort(null);
    return keys;
  }
}
