package dev.tollgate.core.runs.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.config.ConfigDocument;
import dev.tollgate.core.config.ConfigSchema;
import dev.tollgate.core.config.DidYouMean;
import dev.tollgate.core.config.Durations;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.template.internal.ParamValues;
import dev.tollgate.core.runs.template.internal.ParamsSchema;
import dev.tollgate.core.runs.template.internal.Placeholders;
import dev.tollgate.core.util.Sha256;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The YAML form of a run template: turns a schema-checked {@link ConfigDocument} into a {@link
 * RunTemplate}, making the checks a JSON Schema cannot (durations, one step kind per step, unique
 * step names, a valid parameter schema, known placeholders), each reported at {@code
 * file:line:column}.
 */
final class TemplateYaml {
  /** The JSON Schema every template file must satisfy. */
  public static final ConfigSchema SCHEMA =
      ConfigSchema.fromResource(
          TemplateYaml.class, "/dev/tollgate/core/runs/template/run-template.schema.json");

  private static final List<String> KINDS = List.of("shell", "http", "docker");

  private final ConfigDocument doc;
  private final List<Diagnostic> errors = new ArrayList<>();

  private TemplateYaml(ConfigDocument doc) {
    this.doc = doc;
  }

  /** The result of reading one file: the template, or the problems that prevented it. */
  public record Read(Optional<RunTemplate> template, List<Diagnostic> errors) {}

  /**
   * Turns a schema-valid document into a template.
   *
   * @param bytes the file's bytes, for the content hash
   * @param text the file's text
   * @param expectedName the name the file name implies; {@code null} not to check it
   */
  public static Read toTemplate(
      ConfigDocument doc, byte[] bytes, String text, String expectedName) {
    return new TemplateYaml(doc).read(bytes, text, expectedName);
  }

  private Read read(byte[] bytes, String text, String expectedName) {
    JsonNode root = doc.root();
    String name = root.path("name").asText();
    if (expectedName != null && !name.equals(expectedName)) {
      errors.add(
          doc.error(
              "/name",
              "name '" + name + "' must equal the file name '" + expectedName + "'",
              "Rename the file to " + name + ".yml, or set name: " + expectedName + "."));
    }
    Optional<String> description = text(root, "description");
    String lane = root.path("lane").asText(RunTemplate.DEFAULT_LANE);
    int maxAttempts = root.path("max_attempts").asInt(RunTemplate.DEFAULT_MAX_ATTEMPTS);
    Duration timeout = duration("/timeout", RunTemplate.DEFAULT_TIMEOUT, true);
    Duration backoff = duration("/backoff", RunTemplate.DEFAULT_BACKOFF, false);
    Duration maxBackoff = duration("/max_backoff", RunTemplate.DEFAULT_MAX_BACKOFF, false);
    if (maxBackoff.compareTo(NewRun.MAX_BACKOFF) > 0) {
      errors.add(
          doc.error(
              "/max_backoff",
              "max_backoff must be at most 576h (24 days) but was " + Durations.format(maxBackoff),
              "The queue keeps a backoff in milliseconds, up to 24 days."));
    } else if (backoff.compareTo(maxBackoff) > 0) {
      errors.add(
          doc.error(
              root.has("backoff") ? "/backoff" : "/max_backoff",
              "backoff "
                  + Durations.format(backoff)
                  + " must not be longer than max_backoff "
                  + Durations.format(maxBackoff),
              null));
    }
    JsonNode paramsSchema = root.has("params") ? root.get("params") : ParamsSchema.noParams();
    Optional<ParamsSchema> params = params(paramsSchema, root.has("params"));
    List<Step> steps = new ArrayList<>();
    Map<String, Integer> firstIndex = new HashMap<>();
    JsonNode stepNodes = root.path("steps");
    for (int i = 0; i < stepNodes.size(); i++) {
      step(i, stepNodes.get(i), timeout, params, firstIndex).ifPresent(steps::add);
    }
    if (!errors.isEmpty()) {
      return new Read(Optional.empty(), List.copyOf(errors));
    }
    try {
      return new Read(
          Optional.of(
              new RunTemplate(
                  name,
                  description,
                  lane,
                  paramsSchema,
                  maxAttempts,
                  timeout,
                  backoff,
                  maxBackoff,
                  steps,
                  Sha256.hex(bytes),
                  text,
                  retryOn(root.path("retry_on")))),
          List.of());
    } catch (IllegalArgumentException e) {
      // The checks above should have caught it; report rather than crash if one was missed.
      return new Read(Optional.empty(), List.of(doc.error("", e.getMessage(), null)));
    }
  }

  /** The schema allows only {@code error} and {@code timeout}, each once. */
  private static Set<RetryOn> retryOn(JsonNode list) {
    Set<RetryOn> out = EnumSet.noneOf(RetryOn.class);
    list.forEach(n -> out.add(RetryOn.valueOf(n.asText().toUpperCase(Locale.ROOT))));
    return out;
  }

  private Optional<ParamsSchema> params(JsonNode schemaNode, boolean written) {
    ParamsSchema.Compiled compiled = ParamsSchema.compile(schemaNode);
    for (ParamsSchema.Problem p : compiled.problems()) {
      String pointer = "/params" + p.pointer();
      errors.add(
          doc.error(pointer, doc.displayPath(pointer) + " " + p.message(), p.hint().orElse(null)));
    }
    if (compiled.schema().isEmpty()) {
      return Optional.empty();
    }
    if (written) {
      Map<String, String> byEnv = new HashMap<>();
      for (String param : compiled.schema().get().declaredNames()) {
        String env = ParamValues.envName(param);
        String other = byEnv.putIfAbsent(env, param);
        if (other != null) {
          errors.add(
              doc.keyError(
                  ConfigDocument.child("/params/properties", param),
                  "parameters '"
                      + other
                      + "' and '"
                      + param
                      + "' would both reach shell steps as "
                      + env,
                  "Rename one of them."));
        }
      }
    }
    return compiled.schema();
  }

  private Optional<Step> step(
      int i,
      JsonNode node,
      Duration templateTimeout,
      Optional<ParamsSchema> params,
      Map<String, Integer> firstIndex) {
    String pointer = ConfigDocument.child("/steps", i);
    String where = doc.displayPath(pointer);
    String name = node.path("name").asText();
    int errorsBefore = errors.size();
    Integer first = firstIndex.putIfAbsent(name, i);
    if (first != null) {
      String firstPointer = ConfigDocument.child(ConfigDocument.child("/steps", first), "name");
      errors.add(
          doc.error(
              ConfigDocument.child(pointer, "name"),
              where
                  + ".name '"
                  + name
                  + "' is already used by steps["
                  + first
                  + "] (line "
                  + doc.locate(firstPointer).line()
                  + ")",
              "Give each step its own name."));
    }
    Duration timeout = duration(ConfigDocument.child(pointer, "timeout"), templateTimeout, true);
    List<String> kinds = KINDS.stream().filter(node::has).toList();
    if (kinds.isEmpty()) {
      errors.add(
          doc.error(
              pointer,
              where + " ('" + name + "') has no step kind: add one of 'shell', 'http' or 'docker'",
              null));
      return Optional.empty();
    }
    if (kinds.size() > 1) {
      errors.add(
          doc.keyError(
              ConfigDocument.child(pointer, kinds.get(1)),
              where
                  + " ('"
                  + name
                  + "') has both '"
                  + kinds.get(0)
                  + "' and '"
                  + kinds.get(1)
                  + "'; a step does exactly one of 'shell', 'http' or 'docker'",
              "Split it into one step per kind."));
      return Optional.empty();
    }
    String kind = kinds.get(0);
    if (!kind.equals("shell")) {
      for (String key : List.of("env", "workdir")) {
        if (node.has(key)) {
          errors.add(
              doc.keyError(
                  ConfigDocument.child(pointer, key),
                  where
                      + "."
                      + key
                      + " applies to shell steps only; a "
                      + kind
                      + " step "
                      + (kind.equals("docker")
                          ? "takes it under docker." + key
                          : "does not take it"),
                  null));
        }
      }
    }
    Step step;
    try {
      step =
          switch (kind) {
            case "shell" -> shell(pointer, node, name, timeout);
            case "http" ->
                http(
                    ConfigDocument.child(pointer, "http"), node.get("http"), name, timeout, params);
            default ->
                docker(ConfigDocument.child(pointer, "docker"), node.get("docker"), name, timeout);
          };
    } catch (IllegalArgumentException e) {
      if (errors.size() == errorsBefore) {
        errors.add(doc.error(pointer, where + ": " + e.getMessage(), null));
      }
      return Optional.empty();
    }
    return errors.size() == errorsBefore ? Optional.of(step) : Optional.empty();
  }

  private ShellStep shell(String pointer, JsonNode node, String name, Duration timeout) {
    Map<String, String> env = env(ConfigDocument.child(pointer, "env"), node.path("env"));
    return new ShellStep(name, timeout, node.get("shell").asText(), env, text(node, "workdir"));
  }

  private DockerStep docker(String pointer, JsonNode node, String name, Duration timeout) {
    List<String> args = new ArrayList<>();
    node.path("args").forEach(a -> args.add(a.asText()));
    Map<String, String> env = env(ConfigDocument.child(pointer, "env"), node.path("env"));
    String image = node.path("image").asText();
    if (image.startsWith("-")) {
      errors.add(
          doc.error(
              ConfigDocument.child(pointer, "image"),
              doc.displayPath(ConfigDocument.child(pointer, "image"))
                  + " must be an image reference but was '"
                  + image
                  + "'",
              null));
    }
    return new DockerStep(name, timeout, image, args, env, text(node, "workdir"));
  }

  private HttpStep http(
      String pointer,
      JsonNode node,
      String name,
      Duration stepTimeout,
      Optional<ParamsSchema> params) {
    String urlPointer = ConfigDocument.child(pointer, "url");
    String url = node.path("url").asText();
    if (!(url.startsWith("http://") || url.startsWith("https://"))) {
      errors.add(
          doc.error(
              urlPointer,
              doc.displayPath(urlPointer)
                  + " must start with http:// or https:// but was '"
                  + url
                  + "'",
              "The scheme and host cannot come from a parameter."));
    }
    placeholders(urlPointer, url, params);
    HttpStep.Builder b =
        HttpStep.builder(name, stepTimeout, url).method(node.path("method").asText("GET"));
    node.path("headers")
        .fields()
        .forEachRemaining(
            e -> {
              String headerPointer =
                  ConfigDocument.child(ConfigDocument.child(pointer, "headers"), e.getKey());
              placeholders(headerPointer, e.getValue().asText(), params);
              b.header(e.getKey(), e.getValue().asText());
            });
    if (node.has("body")) {
      String body = node.get("body").asText();
      placeholders(ConfigDocument.child(pointer, "body"), body, params);
      b.body(body);
    }
    JsonNode expect = node.get("expect_status");
    if (expect != null) {
      List<Integer> codes = new ArrayList<>();
      if (expect.isArray()) {
        expect.forEach(c -> codes.add(c.asInt()));
      } else {
        codes.add(expect.asInt());
      }
      b.expectStatus(HttpStep.ExpectedStatus.of(codes));
    }
    b.retries(node.path("retries").asInt(0));
    b.retryInterval(
        duration(
            ConfigDocument.child(pointer, "retry_interval"),
            HttpStep.DEFAULT_RETRY_INTERVAL,
            false));
    b.requestTimeout(
        duration(ConfigDocument.child(pointer, "timeout"), HttpStep.DEFAULT_REQUEST_TIMEOUT, true));
    return b.build();
  }

  private void placeholders(String pointer, String text, Optional<ParamsSchema> params) {
    Placeholders.Scan scan = Placeholders.scan(text);
    String where = doc.displayPath(pointer);
    for (String problem : scan.problems()) {
      errors.add(doc.error(pointer, where + ": " + problem, null));
    }
    if (params.isEmpty()) {
      return;
    }
    List<String> declared = params.get().declaredNames();
    if (!params.get().declaresNames() && doc.root().has("params")) {
      return;
    }
    for (Placeholders.Reference ref : scan.references()) {
      if (!declared.contains(ref.name())) {
        String message =
            where
                + " uses ${params."
                + ref.name()
                + "} but the template declares no parameter '"
                + ref.name()
                + "'";
        Optional<String> suggestion = DidYouMean.suggest(ref.name(), declared);
        if (suggestion.isPresent()) {
          message += "; did you mean `" + suggestion.get() + "`?";
        }
        errors.add(
            doc.error(
                pointer,
                message,
                declared.isEmpty()
                    ? "Declare it under params.properties."
                    : "Parameters: "
                        + String.join(", ", declared.stream().sorted().toList())
                        + "."));
      }
    }
  }

  private Map<String, String> env(String pointer, JsonNode node) {
    Map<String, String> env = new LinkedHashMap<>();
    node.fields()
        .forEachRemaining(
            e -> {
              if (e.getKey().startsWith(RunTemplate.RESERVED_ENV_PREFIX)) {
                errors.add(
                    doc.keyError(
                        ConfigDocument.child(pointer, e.getKey()),
                        doc.displayPath(ConfigDocument.child(pointer, e.getKey()))
                            + ": names starting with "
                            + RunTemplate.RESERVED_ENV_PREFIX
                            + " are reserved for the variables Tollgate sets",
                        "Parameters already reach the step as TOLLGATE_PARAM_<NAME>."));
              } else if (e.getValue().asText().indexOf('\0') >= 0) {
                errors.add(
                    doc.error(
                        ConfigDocument.child(pointer, e.getKey()),
                        doc.displayPath(ConfigDocument.child(pointer, e.getKey()))
                            + " contains a NUL character, which environment variables cannot hold",
                        null));
              } else {
                env.put(e.getKey(), e.getValue().asText());
              }
            });
    return env;
  }

  /**
   * The duration at {@code pointer}, or {@code fallback} when absent; on a bad value, records the
   * problem and returns {@code fallback} so later checks still run.
   */
  private Duration duration(String pointer, Duration fallback, boolean positive) {
    JsonNode node = doc.root().at(pointer);
    if (node.isMissingNode()) {
      return fallback;
    }
    String where = doc.displayPath(pointer);
    if (!node.isTextual()) {
      errors.add(
          doc.error(
              pointer,
              where
                  + " must be a duration with a unit, like 30s or 5m, but was "
                  + doc.describe(pointer),
              "Durations are a number and a unit: ms, s, m or h."));
      return fallback;
    }
    Duration value;
    try {
      value = Durations.parse(node.textValue());
    } catch (IllegalArgumentException e) {
      errors.add(
          doc.error(
              pointer,
              where
                  + " must be a duration like 500ms, 2s, 5m or 1h30m but was "
                  + doc.describe(pointer),
              e.getMessage() + "."));
      return fallback;
    }
    if (positive && value.isZero()) {
      errors.add(
          doc.error(
              pointer, where + " must be longer than 0 but was " + doc.describe(pointer), null));
      return fallback;
    }
    return value;
  }

  private static Optional<String> text(JsonNode node, String key) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }
}
