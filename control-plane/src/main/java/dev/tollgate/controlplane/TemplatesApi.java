package dev.tollgate.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.config.Durations;
import dev.tollgate.core.runs.Enqueued;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.RunJson;
import dev.tollgate.core.runs.template.RunParams;
import dev.tollgate.core.runs.template.RunTemplate;
import dev.tollgate.core.runs.template.TemplateCatalog;
import dev.tollgate.core.runs.template.TemplatePreview;
import java.io.IOException;
import java.util.Map;

/**
 * The template endpoints: the project's run templates with their parameter schemas, a preview of
 * what a run would do with given parameters, and enqueuing a run from a template ({@code POST
 * /api/runs}) with its parameters checked against the schema, as {@code tollgate runs enqueue}
 * does.
 */
final class TemplatesApi {
  private final ControlPlane plane;

  TemplatesApi(ControlPlane plane) {
    this.plane = plane;
  }

  TemplateCatalog catalog() {
    return plane
        .templates()
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "this control plane serves no run templates (the host gave none)"));
  }

  RunTemplate template(String name) {
    return catalog()
        .find(name)
        .orElseThrow(
            () ->
                ApiException.of(
                    404,
                    "api.not-found",
                    "no template '" + name + "'; known: " + String.join(", ", catalog().names()),
                    null));
  }

  /** {@code GET /api/templates}. */
  void list(Exchange x) throws IOException {
    ObjectNode body = Exchange.JSON.createObjectNode();
    ArrayNode a = body.putArray("templates");
    for (RunTemplate t : catalog().templates()) {
      a.add(json(t));
    }
    x.ok(body);
  }

  /** {@code GET /api/templates/{name}}. */
  void detail(Exchange x) throws IOException {
    x.ok(json(template(x.path("name"))));
  }

  /**
   * {@code POST /api/templates/{name}/preview} with {@code {"params": {…}, "lane": "…"}}: what the
   * run would do; never enqueues.
   */
  void preview(Exchange x) throws IOException {
    RunTemplate t = template(x.path("name"));
    ObjectNode request = x.body();
    x.ok(json(TemplatePreview.of(t, params(request), lane(request))));
  }

  /**
   * {@code POST /api/runs} with {@code {"template", "params", "lane", "priority",
   * "idempotencyKey"}}: 201 with the new run, or 200 with the live run holding the idempotency key;
   * 400 with every problem of the parameters (each a Diagnostic) when they do not fit the schema.
   */
  void enqueue(Exchange x) throws IOException {
    ObjectNode request = x.body();
    JsonNode name = request.get("template");
    if (name == null || !name.isTextual() || name.asText().isBlank()) {
      throw ApiException.badRequest("template: expected the name of a template", null);
    }
    RunTemplate t = template(name.asText());
    JsonNode priority = request.get("priority");
    if (priority != null && !priority.isNull() && !priority.canConvertToInt()) {
      throw ApiException.badRequest("priority: expected a whole number", null);
    }
    JsonNode key = request.get("idempotencyKey");
    Enqueued result =
        enqueue(
            t,
            params(request),
            lane(request),
            priority == null || priority.isNull() ? 0 : priority.asInt(),
            key == null || key.isNull() ? null : key.asText());
    ObjectNode body = RunJson.run(result.run());
    body.put("created", result.created());
    x.reply(result.created() ? 201 : 200, body);
  }

  /** Enqueues a run of {@code t}, refusing parameters that do not fit with every problem. */
  Enqueued enqueue(RunTemplate t, RunParams params, String lane, int priority, String key) {
    NewRun run;
    try {
      run =
          t.newRun(params)
              .cipher(plane::cipher)
              .lane(lane)
              .priority(priority)
              .idempotencyKey(key)
              .build();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage(), null);
    } catch (TollgateException e) {
      throw problems(e);
    }
    return plane
        .runs()
        .orElseThrow(() -> ApiException.notFound("this control plane serves no run queue"))
        .enqueue(run);
  }

  /** A 400 carrying every problem as {@code problems}, the first as {@code error}. */
  static ApiException problems(TollgateException e) {
    if (e.kind() != TollgateException.Kind.BAD_INPUT || e.diagnostics().isEmpty()) {
      throw e;
    }
    return Problems.refusal(e.diagnostics());
  }

  private static RunParams params(ObjectNode request) {
    JsonNode params = request.get("params");
    if (params == null || params.isNull()) {
      return RunParams.empty();
    }
    if (!params.isObject()) {
      throw ApiException.badRequest(
          "params: expected a JSON object of name to value but found " + params.getNodeType(),
          null);
    }
    return RunParams.of(params);
  }

  private static String lane(ObjectNode request) {
    JsonNode lane = request.get("lane");
    if (lane == null || lane.isNull() || (lane.isTextual() && lane.asText().isBlank())) {
      return null;
    }
    if (!lane.isTextual()) {
      throw ApiException.badRequest("lane: expected a string", null);
    }
    return lane.asText().strip();
  }

  static ObjectNode json(RunTemplate t) {
    ObjectNode o = Exchange.JSON.createObjectNode();
    o.put("name", t.name());
    o.put("description", t.description().orElse(null));
    o.put("lane", t.lane());
    o.put("maxAttempts", t.maxAttempts());
    o.put("timeout", Durations.format(t.timeout()));
    o.set("paramsSchema", t.paramsSchema());
    ArrayNode steps = o.putArray("steps");
    t.steps()
        .forEach(
            s ->
                steps
                    .addObject()
                    .put("name", s.name())
                    .put("kind", s.kind())
                    .put("timeout", Durations.format(s.timeout())));
    o.put("source", t.source());
    return o;
  }

  static ObjectNode json(TemplatePreview p) {
    ObjectNode o = Exchange.JSON.createObjectNode();
    o.put("template", p.template());
    o.put("lane", p.lane());
    o.put("valid", p.valid());
    ArrayNode problems = o.putArray("problems");
    p.problems().forEach(d -> problems.add(Problems.body(d).get("error")));
    o.set("params", p.params());
    ObjectNode vars = o.putObject("variables");
    for (Map.Entry<String, String> e : p.variables().entrySet()) {
      vars.put(e.getKey(), e.getValue());
    }
    ArrayNode steps = o.putArray("steps");
    p.steps()
        .forEach(
            s ->
                steps
                    .addObject()
                    .put("name", s.name())
                    .put("kind", s.kind())
                    .put("timeout", s.timeout())
                    .put("runs", s.runs()));
    return o;
  }
}
