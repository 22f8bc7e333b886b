package dev.tollgate.core.runs.template;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.Location;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.config.ConfigDocument;
import dev.tollgate.core.config.ConfigSchema;
import dev.tollgate.core.config.YamlConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * The parameters of one run, an object of name to JSON value, together with where each was given so
 * that a problem with a value can be reported at its {@code file:line:column}.
 *
 * <p>Parameters come from a YAML or JSON file ({@link #read}), from {@code NAME=VALUE} assignments
 * ({@link RunTemplate#parseParams}), or from a JSON value ({@link #of}); {@link #with} combines
 * them, later ones winning name by name. Instances are immutable.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class RunParams {
  /** Where parameters given without a file are reported. */
  public static final Location UNPLACED = Location.ofFile("params");

  private static final ConfigSchema FILE_SCHEMA =
      ConfigSchema.fromResource(
          RunParams.class, "/dev/tollgate/core/runs/template/run-params.schema.json");

  private final ObjectNode values;
  private final Map<String, Function<String, Location>> byName;
  private final Function<String, Location> fallback;

  private RunParams(
      ObjectNode values,
      Map<String, Function<String, Location>> byName,
      Function<String, Location> fallback) {
    this.values = values;
    this.byName = Map.copyOf(byName);
    this.fallback = fallback;
  }

  /** No parameters. */
  public static RunParams empty() {
    return of(JsonNodeFactory.instance.objectNode());
  }

  /**
   * Parameters given as a JSON object, reported at {@link #UNPLACED}.
   *
   * @throws IllegalArgumentException when {@code values} is not an object
   */
  public static RunParams of(JsonNode values) {
    Objects.requireNonNull(values, "values");
    if (!values.isObject()) {
      throw new IllegalArgumentException(
          "parameters must be a JSON object but were " + values.getNodeType());
    }
    return new RunParams(values.deepCopy(), Map.of(), p -> UNPLACED);
  }

  /**
   * Parameters from the text of a YAML or JSON file holding one mapping of name to value.
   *
   * @param displayPath how the file is named in messages
   * @throws TollgateException of kind {@code BAD_INPUT} when the text is not YAML or not a mapping
   */
  public static RunParams parse(String text, String displayPath) {
    return fromDocument(YamlConfig.parse(text, displayPath, FILE_SCHEMA));
  }

  /**
   * Parameters from a YAML or JSON file holding one mapping of name to value.
   *
   * @param displayPath how the file is named in messages
   * @throws TollgateException of kind {@code BAD_INPUT} when the file is missing, unreadable, not
   *     YAML or not a mapping
   */
  public static RunParams read(Path file, String displayPath) {
    return fromDocument(YamlConfig.load(file, displayPath, FILE_SCHEMA));
  }

  private static RunParams fromDocument(ConfigDocument doc) {
    ObjectNode values = (ObjectNode) doc.root().deepCopy();
    return new RunParams(values, Map.of(), doc::locate);
  }

  /** Parameters placed by name, for {@link RunTemplate#parseParams}. */
  static RunParams placed(ObjectNode values, Map<String, Location> places) {
    Map<String, Function<String, Location>> byName = new HashMap<>();
    places.forEach((name, at) -> byName.put(name, p -> at));
    return new RunParams(values.deepCopy(), byName, p -> UNPLACED);
  }

  /**
   * These parameters with {@code overrides} on top: a name in both takes its value (and its place)
   * from {@code overrides}.
   */
  public RunParams with(RunParams overrides) {
    Objects.requireNonNull(overrides, "overrides");
    ObjectNode merged = values.deepCopy();
    Map<String, Function<String, Location>> places = new HashMap<>(byName);
    overrides
        .values
        .fields()
        .forEachRemaining(
            e -> {
              merged.set(e.getKey(), e.getValue().deepCopy());
              Function<String, Location> place =
                  overrides.byName.getOrDefault(e.getKey(), overrides.fallback);
              places.put(e.getKey(), place);
            });
    return new RunParams(merged, places, fallback);
  }

  /** A copy of the values: an object of parameter name to value. */
  public ObjectNode values() {
    return values.deepCopy();
  }

  /** Whether no parameter is given. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * Where the value at JSON pointer {@code pointer} (e.g. {@code /replicas}) was given; {@link
   * #UNPLACED} when it was not given in a file.
   */
  public Location locate(String pointer) {
    Objects.requireNonNull(pointer, "pointer");
    if (pointer.isEmpty()) {
      return fallback.apply(pointer);
    }
    int end = pointer.indexOf('/', 1);
    String first = pointer.substring(1, end < 0 ? pointer.length() : end);
    String name = first.replace("~1", "/").replace("~0", "~");
    return byName.getOrDefault(name, fallback).apply(pointer);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunParams other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** The values as compact JSON. */
  @Override
  public String toString() {
    return values.toString();
  }
}
