package dev.tollgate.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import dev.tollgate.core.Diagnostic;
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
        String suggestion = DidYouMean.suggest(key, allowed).orElse(null);
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
      case "type" -> {
        return doc.error(
            pointer, where + " must be " + expectedType(keyword) + " but was " + actual, null);
      }
      case "enum" -> {
        return doc.error(
            pointer, where + " must be one of " + join(keyword) + " but was " + actual, null);
      }
      case "const" -> {
        return doc.error(pointer, where + " must be " + keyword + " but was " + actual, null);
      }
      case "minLength" -> {
        String expected =
            keyword != null && keyword.asInt() == 1
                ? "must not be empty"
                : "must be at least " + keyword + " characters long";
        return doc.error(pointer, where + " " + expected + " but was " + actual, null);
      }
      case "maxLength" -> {
        return doc.error(pointer, where + " must be at most " + keyword + " characters long", null);
      }
      case "minimum" -> {
        return doc.error(pointer, where + " must be >= " + keyword + " but was " + actual, null);
      }
      case "maximum" -> {
        return doc.error(pointer, where + " must be <= " + keyword + " but was " + actual, null);
      }
      case "exclusiveMinimum" -> {
        return doc.error(pointer, where + " must be > " + keyword + " but was " + actual, null);
      }
      case "exclusiveMaximum" -> {
        return doc.error(pointer, where + " must be < " + keyword + " but was " + actual, null);
      }
      case "pattern" -> {
        return doc.error(
            pointer, where + " must match " + keyword.asText() + " but was " + actual, null);
      }
      case "minItems" -> {
        return doc.error(pointer, where + " must have at least " + keyword + " items", null);
      }
      case "maxItems" -> {
        return doc.error(pointer, where + " must have at most " + keyword + " items", null);
      }
      case "uniqueItems" -> {
        return doc.error(pointer, where + " must not list the same item twice", null);
      }
      default -> {
        return doc.error(pointer, where + " " + stripPath(m.getMessage()), null);
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

  private static String expectedType(JsonNode type) {
    if (type == null) {
      return "of another type";
    }
    if (type.isArray()) {
      List<String> names = new ArrayList<>();
      type.forEach(t -> names.add(typeName(t.asText())));
      return String.join(" or ", names);
    }
    return typeName(type.asText());
  }

  private static String typeName(String jsonType) {
    return switch (jsonType) {
      case "boolean" -> "true or false";
      case "string" -> "a string";
      case "integer" -> "an integer";
      case "number" -> "a number";
      case "object" -> "a mapping";
      case "array" -> "a list";
      case "null" -> "empty";
      default -> jsonType;
    };
  }

  private static String join(JsonNode values) {
    if (values == null || !values.isArray()) {
      return String.valueOf(values);
    }
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(v.isTextual() ? v.asText() : v.toString()));
    return String.join(", ", out);
  }

  private static String stripPath(String message) {
    int colon = message.indexOf(": ");
    return colon >= 0 ? message.substring(colon + 2) : message;
  }
}
