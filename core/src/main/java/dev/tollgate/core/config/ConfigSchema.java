package dev.tollgate.core.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * A JSON Schema (draft 2020-12) that a configuration file must satisfy, loaded once from a class
 * path resource and safe to share between threads.
 */
@API(status = INTERNAL, since = "0.1.0")
public final class ConfigSchema {
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder()
          .pathType(PathType.JSON_POINTER)
          .locale(Locale.ENGLISH)
          .formatAssertionsEnabled(true)
          .build();

  private final String name;
  private final JsonNode node;
  private final JsonSchema schema;

  private ConfigSchema(String name, JsonNode node) {
    this.name = name;
    this.node = node;
    this.schema = FACTORY.getSchema(node, CONFIG);
  }

  /**
   * The schema in the class path resource {@code resource}, resolved like {@link
   * Class#getResourceAsStream} against {@code anchor}.
   *
   * @throws IllegalArgumentException when the resource is missing or is not valid JSON (a build
   *     defect, not a user error)
   */
  public static ConfigSchema fromResource(Class<?> anchor, String resource) {
    Objects.requireNonNull(anchor, "anchor");
    Objects.requireNonNull(resource, "resource");
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "schema resource " + resource + " not found next to " + anchor.getName());
      }
      return new ConfigSchema(resource, new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema resource " + resource, e);
    }
  }

  /**
   * Builds the validators of every part of the schema now rather than at the first validation, so
   * that a caller can pay for it on another thread while it starts.
   */
  public void prepare() {
    schema.initializeValidators();
  }

  /** The resource name, for messages. */
  public String name() {
    return name;
  }

  /** The schema document itself, e.g. to list the keys an object allows. */
  JsonNode node() {
    return node;
  }

  Set<ValidationMessage> validate(JsonNode instance) {
    return schema.validate(instance);
  }

  @Override
  public String toString() {
    return "ConfigSchema[" + name + "]";
  }
}
