package dev.tollgate.core.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The wording of JSON Schema violations that configuration files and run parameters share: what a
 * violated keyword expects, said the same way wherever a schema is checked.
 */
public final class SchemaWording {
  private SchemaWording() {}

  /**
   * What a value that breaks the keyword {@code type} (a networknt message type such as {@code
   * enum} or {@code minLength}) must be, e.g. {@code must be one of a, b but was 'c'}; empty for a
   * keyword without a wording of its own.
   *
   * @param keyword the keyword's value in the schema (the enum's list, the minimum)
   * @param actual the value as messages show it, e.g. {@code 'ten'} or {@code a list}
   */
  public static Optional<String> expectation(String type, JsonNode keyword, String actual) {
    String message =
        switch (type) {
          case "type" -> "must be " + expectedType(keyword) + " but was " + actual;
          case "enum" -> "must be one of " + join(keyword) + " but was " + actual;
          case "const" -> "must be " + keyword + " but was " + actual;
          case "minimum" -> "must be >= " + keyword + " but was " + actual;
          case "maximum" -> "must be <= " + keyword + " but was " + actual;
          case "exclusiveMinimum" -> "must be > " + keyword + " but was " + actual;
          case "exclusiveMaximum" -> "must be < " + keyword + " but was " + actual;
          case "minLength" ->
              (keyword != null && keyword.asInt() == 1
                      ? "must not be empty"
                      : "must be at least " + keyword + " characters long")
                  + " but was "
                  + actual;
          case "maxLength" -> "must be at most " + keyword + " characters long";
          case "pattern" -> "must match " + keyword.asText() + " but was " + actual;
          case "minItems" -> "must have at least " + keyword + " items";
          case "maxItems" -> "must have at most " + keyword + " items";
          case "uniqueItems" -> "must not list the same item twice";
          default -> null;
        };
    return Optional.ofNullable(message);
  }

  /**
   * The type or types a {@code type} keyword allows, for people: {@code a string}, {@code an
   * integer or empty}.
   */
  public static String expectedType(JsonNode type) {
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

  /** The values of an {@code enum} keyword separated by commas: {@code low, high}. */
  public static String join(JsonNode values) {
    if (values == null || !values.isArray()) {
      return String.valueOf(values);
    }
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(v.isTextual() ? v.asText() : v.toString()));
    return String.join(", ", out);
  }

  /** A validator message without the location it starts with ({@code $.a.b: }). */
  public static String withoutPath(String message) {
    int colon = message.indexOf(": ");
    return colon >= 0 ? message.substring(colon + 2) : message;
  }
}
