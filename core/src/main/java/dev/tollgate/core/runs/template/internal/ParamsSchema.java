package dev.tollgate.core.runs.template.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.InputStreamSource;
import dev.tollgate.core.config.DidYouMean;
import dev.tollgate.core.config.internal.SchemaWording;
import dev.tollgate.core.runs.exec.Secrets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A run template's parameter schema (JSON Schema draft 2020-12), compiled once: checks that the
 * schema itself is valid, validates parameter objects against it with messages that name the
 * parameter, and tells which JSON types a parameter is declared with.
 *
 * <p>Schemas must be self-contained: references to other documents are not fetched.
 */
public final class ParamsSchema {
  /** The only {@code $schema} a parameter schema may name. */
  public static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";

  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder()
          .pathType(PathType.JSON_POINTER)
          .locale(Locale.ENGLISH)
          .formatAssertionsEnabled(true)
          .build();

  /** Loads the draft's meta-schemas from the validator's own class path copies, nothing else. */
  private static final JsonSchemaFactory META_FACTORY =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012,
          b -> b.schemaLoaders(l -> l.add(ParamsSchema::classPathOnly)));

  /** Compiles user schemas; no cache, so two templates with the same {@code $id} do not mix. */
  private static final JsonSchemaFactory USER_FACTORY =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012,
          b -> b.enableSchemaCache(false).schemaLoaders(l -> l.add(ParamsSchema::classPathOnly)));

  private static final JsonSchema META = META_FACTORY.getSchema(SchemaLocation.of(DRAFT), CONFIG);

  /** A problem at a JSON pointer: in the schema when checking it, in the parameters otherwise. */
  public record Problem(String pointer, String message, Optional<String> hint) {}

  private final JsonNode node;
  private final JsonSchema schema;

  private ParamsSchema(JsonNode node, JsonSchema schema) {
    this.node = node;
    this.schema = schema;
  }

  /** The schema used when a template declares no parameters: an object with no properties. */
  public static JsonNode noParams() {
    var n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    n.put("type", "object");
    n.putObject("properties");
    n.put("additionalProperties", false);
    return n;
  }

  /**
   * Checks that {@code schemaNode} is a valid draft 2020-12 schema for an object and compiles it.
   *
   * @return the compiled schema, or the problems (pointers relative to the schema) that prevent it
   */
  public static Compiled compile(JsonNode schemaNode) {
    Objects.requireNonNull(schemaNode, "schemaNode");
    List<Problem> problems = new ArrayList<>();
    JsonNode declared = schemaNode.get("$schema");
    if (declared != null && !(declared.isTextual() && isDraft(declared.textValue()))) {
      problems.add(
          new Problem(
              "/$schema",
              "must be " + DRAFT + " (the only draft Tollgate reads) but was " + declared,
              Optional.of("Leave $schema out; draft 2020-12 is assumed.")));
      return new Compiled(Optional.empty(), problems);
    }
    JsonNode type = schemaNode.get("type");
    if (type != null && !(type.isTextual() && type.textValue().equals("object"))) {
      problems.add(
          new Problem(
              "/type",
              "must be 'object' (parameters are always an object of name to value) but was " + type,
              Optional.empty()));
    }
    problems.addAll(metaProblems(META.validate(schemaNode)));
    if (!problems.isEmpty()) {
      return new Compiled(Optional.empty(), problems);
    }
    try {
      JsonSchema compiled = USER_FACTORY.getSchema(schemaNode, CONFIG);
      compiled.initializeValidators();
      return new Compiled(Optional.of(new ParamsSchema(schemaNode, compiled)), List.of());
    } catch (RuntimeException e) {
      problems.add(
          new Problem(
              "",
              "cannot be used: " + reason(e),
              Optional.of("Keep the schema self-contained: $ref only to #/$defs/... inside it.")));
      return new Compiled(Optional.empty(), problems);
    }
  }

  /** The result of {@link #compile}: a schema, or the problems found. */
  public record Compiled(Optional<ParamsSchema> schema, List<Problem> problems) {}

  /** The schema document. */
  public JsonNode node() {
    return node;
  }

  /** The parameter names the schema declares under {@code properties}, in the order written. */
  public List<String> declaredNames() {
    List<String> names = new ArrayList<>();
    node.path("properties").fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * The top-level parameters {@code schemaNode} marks {@code writeOnly: true}, in the order
   * written: secrets, which are never shown and are stored sealed.
   */
  public static List<String> writeOnlyNames(JsonNode schemaNode) {
    List<String> names = new ArrayList<>();
    schemaNode
        .path("properties")
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().path("writeOnly").asBoolean(false)) {
                names.add(e.getKey());
              }
            });
    return names;
  }

  /** Whether the schema lists its parameters ({@code properties}), so names can be checked. */
  public boolean declaresNames() {
    return node.path("properties").isObject();
  }

  /**
   * The JSON types parameter {@code name} is declared with ({@code type} as a word or a list);
   * empty when the schema does not say.
   */
  public List<String> declaredTypes(String name) {
    JsonNode type = node.path("properties").path(name).path("type");
    List<String> out = new ArrayList<>();
    if (type.isTextual()) {
      out.add(type.textValue());
    } else if (type.isArray()) {
      type.forEach(t -> out.add(t.asText()));
    }
    return out;
  }

  /**
   * The problems with {@code params}, each at the pointer of the offending value and with a message
   * that starts with its path, e.g. {@code params.replicas must be <= 10 but was 12}.
   */
  public List<Problem> validate(JsonNode params) {
    List<Problem> out = new ArrayList<>();
    List<ValidationMessage> messages = new ArrayList<>(schema.validate(params));
    messages.sort(
        Comparator.comparing((ValidationMessage m) -> pointer(m.getInstanceLocation()))
            .thenComparing(m -> String.valueOf(m.getType()))
            .thenComparing(ValidationMessage::getMessage));
    List<String> secret = writeOnlyNames(node);
    for (ValidationMessage m : messages) {
      Problem p = translate(m, params, secret);
      out.add(hideSecret(p, params, secret));
    }
    return out;
  }

  /** The top-level parameter a pointer is in, or null for the root. */
  private static String topName(String pointer) {
    if (pointer.isEmpty()) {
      return null;
    }
    int end = pointer.indexOf('/', 1);
    return pointer
        .substring(1, end < 0 ? pointer.length() : end)
        .replace("~1", "/")
        .replace("~0", "~");
  }

  /** {@code p} with the value of a writeOnly parameter masked wherever its message shows it. */
  private static Problem hideSecret(Problem p, JsonNode params, List<String> secret) {
    String name = topName(p.pointer());
    if (name == null || !secret.contains(name) || !params.has(name)) {
      return p;
    }
    List<String> texts = new ArrayList<>();
    collectTexts(params.get(name), texts);
    Secrets values = Secrets.of(texts);
    return new Problem(p.pointer(), values.mask(p.message()), p.hint().map(values::mask));
  }

  private static void collectTexts(JsonNode value, List<String> out) {
    if (value.isContainerNode()) {
      out.add(value.toString());
      value.elements().forEachRemaining(v -> collectTexts(v, out));
    } else if (!value.isNull()) {
      out.add(value.isTextual() ? value.textValue() : value.toString());
    }
  }

  private Problem translate(ValidationMessage m, JsonNode params, List<String> secret) {
    String pointer = pointer(m.getInstanceLocation());
    String where = displayPath("params", pointer, params);
    String top = topName(pointer);
    String actual =
        top != null && secret.contains(top) ? Secrets.MASK : describe(params.at(pointer));
    JsonNode keyword = keywordValue(m);
    String type = m.getType() == null ? "" : m.getType();
    switch (type) {
      case "additionalProperties", "unevaluatedProperties" -> {
        String key = m.getProperty();
        List<String> allowed = new ArrayList<>();
        JsonNode objectSchema = node.at(parent(pointer(fragment(m))));
        objectSchema.path("properties").fieldNames().forEachRemaining(allowed::add);
        allowed.sort(null);
        String message =
            pointer.isEmpty()
                ? "unknown parameter '" + key + "'"
                : "unknown key '" + key + "' in " + where;
        Optional<String> suggestion = DidYouMean.suggest(key, allowed);
        if (suggestion.isPresent()) {
          message += "; did you mean `" + suggestion.get() + "`?";
        }
        String noun = pointer.isEmpty() ? "Parameters" : "Allowed keys";
        Optional<String> hint;
        if (!allowed.isEmpty()) {
          hint = Optional.of(noun + ": " + String.join(", ", allowed) + ".");
        } else if (pointer.isEmpty()) {
          hint = Optional.of("The template takes no parameters.");
        } else {
          hint = Optional.empty();
        }
        return new Problem(pointer + "/" + escape(key), message, hint);
      }
      case "required" -> {
        String what = pointer.isEmpty() ? "parameter" : "key";
        return problem(
            pointer, where + " is missing the required " + what + " '" + m.getProperty() + "'");
      }
      default -> {
        String expectation =
            SchemaWording.expectation(type, keyword, actual)
                .orElseGet(() -> SchemaWording.withoutPath(m.getMessage()));
        return problem(pointer, where + " " + expectation);
      }
    }
  }

  private static Problem problem(String pointer, String message) {
    return new Problem(pointer, message, Optional.empty());
  }

  /** One problem per schema location: the most telling of the meta-schema's messages. */
  private static List<Problem> metaProblems(java.util.Set<ValidationMessage> messages) {
    Map<String, ValidationMessage> best = new LinkedHashMap<>();
    List<ValidationMessage> sorted = new ArrayList<>(messages);
    sorted.sort(
        Comparator.comparing((ValidationMessage m) -> pointer(m.getInstanceLocation()))
            .thenComparing(m -> rank(m.getType()))
            .thenComparing(ValidationMessage::getMessage));
    for (ValidationMessage m : sorted) {
      best.putIfAbsent(pointer(m.getInstanceLocation()), m);
    }
    List<Problem> out = new ArrayList<>();
    for (ValidationMessage m : best.values()) {
      String pointer = pointer(m.getInstanceLocation());
      String message =
          switch (String.valueOf(m.getType())) {
            case "enum" ->
                "must be one of "
                    + SchemaWording.join(m.getSchemaNode())
                    + " but was "
                    + describe(m.getInstanceNode());
            case "type" ->
                "must be "
                    + SchemaWording.expectedType(m.getSchemaNode())
                    + " but was "
                    + describe(m.getInstanceNode());
            case "format" ->
                "must be a valid "
                    + m.getSchemaNode().asText()
                    + " but was "
                    + describe(m.getInstanceNode());
            default -> SchemaWording.withoutPath(m.getMessage());
          };
      out.add(new Problem(pointer, message, Optional.empty()));
    }
    return out;
  }

  private static int rank(String type) {
    return switch (String.valueOf(type)) {
      case "enum" -> 0;
      case "format" -> 1;
      case "type" -> 2;
      default -> 3;
    };
  }

  private JsonNode keywordValue(ValidationMessage m) {
    JsonNodePath fragment = fragment(m);
    if (fragment == null) {
      return m.getSchemaNode();
    }
    JsonNode at = node.at(pointer(fragment));
    return at.isMissingNode() ? m.getSchemaNode() : at;
  }

  private static JsonNodePath fragment(ValidationMessage m) {
    return m.getSchemaLocation() == null ? null : m.getSchemaLocation().getFragment();
  }

  /** How people read a pointer under a root name: {@code params.hosts[0].name}. */
  public static String displayPath(String root, String pointer, JsonNode document) {
    StringBuilder out = new StringBuilder(root);
    JsonNode at = document;
    if (pointer.isEmpty()) {
      return out.toString();
    }
    for (String raw : pointer.substring(1).split("/", -1)) {
      String segment = raw.replace("~1", "/").replace("~0", "~");
      if (at != null && at.isArray()) {
        out.append('[').append(segment).append(']');
        at = at.get(parseIndex(segment));
      } else {
        out.append('.').append(segment);
        at = at == null ? null : at.get(segment);
      }
    }
    return out.toString();
  }

  /**
   * A value as messages show it: {@code '12'}, {@code 'ten'}, {@code a mapping}, {@code a list}.
   */
  public static String describe(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "missing";
    }
    if (value.isObject()) {
      return "a mapping";
    }
    if (value.isArray()) {
      return "a list";
    }
    if (value.isNull()) {
      return "empty";
    }
    return "'" + (value.isTextual() ? value.textValue() : value.toString()) + "'";
  }

  private static String pointer(JsonNodePath path) {
    StringBuilder out = new StringBuilder();
    if (path == null) {
      return "";
    }
    for (int i = 0; i < path.getNameCount(); i++) {
      out.append('/').append(escape(String.valueOf(path.getElement(i))));
    }
    return out.toString();
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static String parent(String pointer) {
    int slash = pointer.lastIndexOf('/');
    return slash <= 0 ? "" : pointer.substring(0, slash);
  }

  private static int parseIndex(String segment) {
    try {
      return Integer.parseInt(segment);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The message of the deepest cause that has one: the most specific reason. */
  private static String reason(Throwable e) {
    String message = e.getMessage();
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return oneLine(message);
  }

  private static String oneLine(String text) {
    return text == null ? "unknown error" : text.strip().replaceAll("\\s+", " ");
  }

  private static boolean isDraft(String iri) {
    return iri.equals(DRAFT) || iri.equals(DRAFT + "#");
  }

  /** Lets the meta-schemas load from the class path and refuses every other document. */
  private static InputStreamSource classPathOnly(com.networknt.schema.AbsoluteIri iri) {
    String text = iri.toString();
    if (text.startsWith("classpath:")) {
      return null;
    }
    return () -> {
      throw new IOException(
          "Tollgate does not fetch schemas from elsewhere ('" + text + "' was referenced)");
    };
  }
}
