package dev.tollgate.core.runs.template;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.config.ConfigDocument;
import dev.tollgate.core.config.Durations;
import dev.tollgate.core.config.YamlConfig;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.template.internal.ParamsSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A run template: a named, parameterised list of steps that a worker executes as one run, read from
 * {@code .tollgate/templates/<name>.yml}. See {@code docs/templates.md} for the file format.
 *
 * @param name the template's name, also its file name without {@code .yml}
 * @param description what it does, for people; empty when not said
 * @param lane the queue lane runs go to unless the enqueuer names another
 * @param paramsSchema the JSON Schema (draft 2020-12) of the run's parameters, an object
 * @param maxAttempts how many attempts a run gets: a lost worker costs one, and so does a failure
 *     that {@code retryOn} names; the run is tried again while attempts remain
 * @param timeout the longest a whole run may take
 * @param backoff the base of the pause before a run is tried again (doubled per attempt used)
 * @param maxBackoff the longest pause between attempts
 * @param steps what a run does, in order; never empty
 * @param contentHash the SHA-256 of the file's bytes in lower-case hex, to tell which version of
 *     the template a run used
 * @param source the file's text
 * @param retryOn the failures that are tried again while attempts remain; empty (the default): a
 *     failed or timed-out step ends the run in {@code error}
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record RunTemplate(
    String name,
    Optional<String> description,
    String lane,
    JsonNode paramsSchema,
    int maxAttempts,
    Duration timeout,
    Duration backoff,
    Duration maxBackoff,
    List<Step> steps,
    String contentHash,
    String source,
    Set<RetryOn> retryOn) {

  /** Where templates live, relative to the project root. */
  public static final String DIRECTORY = ".tollgate/templates";

  /** What a template name may look like: it is also a file name. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

  /** The lane runs go to when the template names none. */
  public static final String DEFAULT_LANE = "default";

  /** The default {@link #maxAttempts}. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** The default {@link #timeout}: 30 minutes. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

  /** The default {@link #backoff}: 2 seconds. */
  public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(2);

  /** The default {@link #maxBackoff}: 5 minutes. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);

  /** The prefix of environment variables Tollgate sets itself; steps may not declare such names. */
  public static final String RESERVED_ENV_PREFIX = "TOLLGATE_";

  /** The rule id of diagnostics about parameters. */
  public static final String PARAMS_RULE_ID = "params";

  private static final Pattern LANE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** A template that tries no failure again ({@code retryOn} empty). */
  public RunTemplate(
      String name,
      Optional<String> description,
      String lane,
      JsonNode paramsSchema,
      int maxAttempts,
      Duration timeout,
      Duration backoff,
      Duration maxBackoff,
      List<Step> steps,
      String contentHash,
      String source) {
    this(
        name,
        description,
        lane,
        paramsSchema,
        maxAttempts,
        timeout,
        backoff,
        maxBackoff,
        steps,
        contentHash,
        source,
        Set.of());
  }

  /** Checks every field. */
  public RunTemplate {
    retryOn = Set.copyOf(Objects.requireNonNull(retryOn, "retryOn"));
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "template name must be lower-case letters, digits and '-', starting with a letter or"
              + " digit, but was '"
              + name
              + "'");
    }
    Objects.requireNonNull(description, "description");
    description = description.filter(d -> !d.isBlank());
    Objects.requireNonNull(lane, "lane");
    if (!LANE.matcher(lane).matches()) {
      throw new IllegalArgumentException(
          "lane of template "
              + name
              + " must start with a letter or digit and contain only letters, digits, '.', '_'"
              + " and '-' but was '"
              + lane
              + "'");
    }
    Objects.requireNonNull(paramsSchema, "paramsSchema");
    if (!paramsSchema.isObject()) {
      throw new IllegalArgumentException(
          "paramsSchema of template " + name + " must be a JSON object");
    }
    paramsSchema = paramsSchema.deepCopy();
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "maxAttempts of template " + name + " must be >= 1 but was " + maxAttempts);
    }
    Steps.positive(timeout, "timeout of template " + name);
    Steps.notNegative(backoff, "backoff of template " + name);
    Steps.notNegative(maxBackoff, "maxBackoff of template " + name);
    if (maxBackoff.compareTo(NewRun.MAX_BACKOFF) > 0) {
      throw new IllegalArgumentException(
          "maxBackoff of template "
              + name
              + " must be at most 24 days but was "
              + Durations.format(maxBackoff));
    }
    if (backoff.compareTo(maxBackoff) > 0) {
      throw new IllegalArgumentException(
          "backoff of template "
              + name
              + " ("
              + Durations.format(backoff)
              + ") must not be longer than maxBackoff ("
              + Durations.format(maxBackoff)
              + ")");
    }
    steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("template " + name + " must have at least one step");
    }
    Set<String> seen = new HashSet<>();
    for (Step s : steps) {
      if (!seen.add(s.name())) {
        throw new IllegalArgumentException(
            "template " + name + " has two steps named '" + s.name() + "'");
      }
    }
    Objects.requireNonNull(contentHash, "contentHash");
    if (!HEX64.matcher(contentHash).matches()) {
      throw new IllegalArgumentException(
          "contentHash must be 64 lower-case hex digits but was '" + contentHash + "'");
    }
    Objects.requireNonNull(source, "source");
  }

  /** A copy of the parameter schema (the record keeps its own). */
  @Override
  public JsonNode paramsSchema() {
    return paramsSchema.deepCopy();
  }

  /**
   * The top-level parameters the schema marks {@code writeOnly: true}, in the order written. Their
   * values are secrets: masked in every output, sealed for storage, never matched by a search (see
   * {@code docs/templates.md}). A {@code writeOnly} nested inside a parameter is not honoured.
   */
  public List<String> writeOnlyParams() {
    return List.copyOf(ParamsSchema.writeOnlyNames(paramsSchema));
  }

  /**
   * Reads and checks a template file; its name must equal the file name without {@code .yml}.
   *
   * @param displayPath how the file is named in messages, e.g. {@code
   *     .tollgate/templates/restart-service.yml}
   * @throws TollgateException of kind {@code BAD_INPUT} with a {@code file:line:column} diagnostic
   *     for every problem found
   */
  public static RunTemplate read(Path file, String displayPath) {
    return parse(YamlConfig.read(file, displayPath), displayPath);
  }

  /**
   * Parses and checks the bytes of a template file (UTF-8); its name must equal the last segment of
   * {@code displayPath} without {@code .yml}.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} with a {@code file:line:column} diagnostic
   *     for every problem found
   */
  public static RunTemplate parse(byte[] bytes, String displayPath) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(displayPath, "displayPath");
    ConfigDocument doc = YamlConfig.parse(bytes, displayPath, TemplateYaml.SCHEMA);
    String text = new String(bytes, StandardCharsets.UTF_8);
    TemplateYaml.Read read = TemplateYaml.toTemplate(doc, bytes, text, stem(displayPath));
    if (!read.errors().isEmpty()) {
      throw YamlConfig.invalid(displayPath, read.errors());
    }
    return read.template().orElseThrow();
  }

  /** The file name of {@code displayPath} without its {@code .yml} or {@code .yaml} ending. */
  static String stem(String displayPath) {
    String fileName = displayPath.substring(displayPath.lastIndexOf('/') + 1);
    if (fileName.endsWith(".yml")) {
      return fileName.substring(0, fileName.length() - 4);
    }
    if (fileName.endsWith(".yaml")) {
      return fileName.substring(0, fileName.length() - 5);
    }
    return fileName;
  }

  /** The step called {@code stepName}, if there is one. */
  public Optional<Step> step(String stepName) {
    return steps.stream().filter(s -> s.name().equals(stepName)).findFirst();
  }

  /**
   * The problems with {@code params} under this template's parameter schema, each naming the
   * parameter's path and the reason, e.g. {@code params.replicas must be <= 10 but was '12'}; empty
   * when they are valid. Located at {@link RunParams#UNPLACED}.
   */
  public List<Diagnostic> validateParams(JsonNode params) {
    Objects.requireNonNull(params, "params");
    if (!params.isObject()) {
      return List.of(
          Diagnostic.of(
              Severity.ERROR,
              PARAMS_RULE_ID,
              "params must be a mapping of name to value but was " + ParamsSchema.describe(params),
              RunParams.UNPLACED,
              null));
    }
    return validateParams(RunParams.of(params));
  }

  /**
   * The problems with {@code params} under this template's parameter schema, each at the place the
   * value was given (a params file's {@code file:line:column}) and naming the parameter's path and
   * the reason, sorted by place then message; empty when they are valid.
   */
  public List<Diagnostic> validateParams(RunParams params) {
    Objects.requireNonNull(params, "params");
    ParamsSchema schema = compiledSchema();
    List<Diagnostic> out = new ArrayList<>();
    for (ParamsSchema.Problem p : schema.validate(params.values())) {
      out.add(
          new Diagnostic(
              Severity.ERROR,
              PARAMS_RULE_ID,
              p.message(),
              params.locate(p.pointer()),
              p.hint(),
              Optional.empty()));
    }
    out.sort(null);
    return out;
  }

  /**
   * A builder of the run of this template with {@code params}: checked against the parameter
   * schema, completed with its defaults, secret values sealed, and this definition recorded, as
   * {@link TemplateRunBuilder#build} describes. What {@code tollgate runs enqueue} does, for
   * embedders: {@code queue.enqueue(template.newRun(RunParams.of(json)).cipher(key).build())}.
   */
  public TemplateRunBuilder newRun(RunParams params) {
    return new TemplateRunBuilder(this, params);
  }

  /**
   * A builder of the run that retries {@code original} with this template as it is now, instead of
   * the definition recorded when {@code original} was enqueued (what {@code RunQueue#retry} uses):
   * {@code original}'s parameters, lane and priority, linked to it as its retry; attempts, backoff,
   * timeout and steps from this template. {@link TemplateRunBuilder#build} checks the parameters
   * against this template's schema, so a parameter the template no longer takes is bad input.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} unless {@code original} ended in error or
   *     was cancelled, when it ran another template, or when it has secret parameters (their sealed
   *     values cannot be checked against a new schema: enqueue it again instead)
   */
  public TemplateRunBuilder retrying(dev.tollgate.core.runs.Run original) {
    Objects.requireNonNull(original, "original");
    var status = original.status();
    if (status != dev.tollgate.core.runs.RunStatus.ERROR
        && status != dev.tollgate.core.runs.RunStatus.CANCELLED) {
      throw TollgateException.badInput(
          "run "
              + original.id()
              + " is "
              + status.wireName()
              + "; only a run that ended in error or was cancelled can be retried");
    }
    if (!original.template().equals(name)) {
      throw TollgateException.badInput(
          "run "
              + original.id()
              + " ran template '"
              + original.template()
              + "', not '"
              + name
              + "'");
    }
    if (original.sealedParams() != null) {
      throw TollgateException.badInput(
          "run "
              + original.id()
              + " has secret parameters, which cannot be checked against the current template;"
              + " enqueue it again with its parameters instead");
    }
    return new TemplateRunBuilder(this, RunParams.of(original.params()))
        .lane(original.lane())
        .priority(original.priority())
        .retryOf(original.id());
  }

  /**
   * {@code params} with the {@code default} of every top-level parameter the schema declares one
   * for and that is not given. Nested defaults are not applied.
   */
  public ObjectNode withDefaults(JsonNode params) {
    Objects.requireNonNull(params, "params");
    if (!params.isObject()) {
      throw new IllegalArgumentException("params must be a JSON object");
    }
    ObjectNode out = (ObjectNode) params.deepCopy();
    paramsSchema
        .path("properties")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode dflt = e.getValue().get("default");
              if (dflt != null && !out.has(e.getKey())) {
                out.set(e.getKey(), dflt.deepCopy());
              }
            });
    return out;
  }

  /**
   * Parameters from {@code NAME=VALUE} assignments (as typed on a command line), each value read as
   * the type the schema declares for the parameter: {@code integer}, {@code number}, {@code
   * boolean}, {@code null} and {@code string} as such, anything else (an object, a list, no
   * declared type) as JSON when it parses as JSON, else as a string. A value that does not read as
   * its declared type stays a string, so {@link #validateParams} reports it.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} for an assignment without {@code =} or
   *     name, or a name given twice
   */
  public RunParams parseParams(List<String> assignments) {
    Objects.requireNonNull(assignments, "assignments");
    ParamsSchema schema = compiledSchema();
    ObjectNode values = JsonNodeFactory.instance.objectNode();
    Map<String, Location> places = new LinkedHashMap<>();
    for (String a : assignments) {
      Objects.requireNonNull(a, "assignment");
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw TollgateException.badInput(
            Diagnostic.of(
                Severity.ERROR,
                PARAMS_RULE_ID,
                "parameter '" + a + "' must be written NAME=VALUE",
                RunParams.UNPLACED,
                "For example replicas=3."));
      }
      String key = a.substring(0, eq);
      if (values.has(key)) {
        throw TollgateException.badInput(
            Diagnostic.of(
                Severity.ERROR,
                PARAMS_RULE_ID,
                "parameter '" + key + "' is given twice",
                RunParams.UNPLACED,
                "Give each parameter once."));
      }
      values.set(key, coerce(a.substring(eq + 1), schema.declaredTypes(key)));
      places.put(key, RunParams.UNPLACED);
    }
    return RunParams.placed(values, places);
  }

  private static JsonNode coerce(String raw, List<String> types) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (types.contains("integer") || types.contains("number")) {
      try {
        BigInteger i = new BigInteger(raw);
        if (i.bitLength() < 32) return f.numberNode(i.intValue());
        if (i.bitLength() < 64) return f.numberNode(i.longValue());
        return f.numberNode(i);
      } catch (NumberFormatException e) {
        // not an integer; maybe a number
      }
    }
    if (types.contains("number")) {
      try {
        return f.numberNode(new BigDecimal(raw));
      } catch (NumberFormatException e) {
        // falls through to the other declared types
      }
    }
    if (types.contains("boolean") && (raw.equals("true") || raw.equals("false"))) {
      return f.booleanNode(raw.equals("true"));
    }
    if (types.contains("null") && raw.equals("null")) {
      return f.nullNode();
    }
    if (types.contains("string")) {
      return f.textNode(raw);
    }
    if (types.isEmpty() || types.contains("object") || types.contains("array")) {
      try {
        JsonNode parsed = raw.isBlank() ? null : JSON.readTree(raw);
        return parsed == null || parsed.isMissingNode() ? f.textNode(raw) : parsed;
      } catch (JsonProcessingException e) {
        return f.textNode(raw);
      }
    }
    return f.textNode(raw);
  }

  private ParamsSchema compiledSchema() {
    ParamsSchema.Compiled compiled = ParamsSchema.compile(paramsSchema);
    return compiled
        .schema()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "parameter schema of template "
                        + name
                        + " is invalid: "
                        + compiled.problems().get(0).message()));
  }
}
