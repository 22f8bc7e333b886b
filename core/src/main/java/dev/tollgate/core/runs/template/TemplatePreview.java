package dev.tollgate.core.runs.template;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.config.Durations;
import dev.tollgate.core.runs.template.internal.ParamValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What a run of a template with given parameters would do, before it is enqueued: the problems with
 * the parameters, the parameters as the run would get them (defaults applied, secret values {@code
 * ***}), and each step with what it runs and the {@code TOLLGATE_PARAM_*} variables through which
 * the parameters reach it (never spliced into a command).
 *
 * @param template the template's name
 * @param lane the lane the run would join
 * @param problems what is wrong with the parameters; the run cannot be enqueued unless empty
 * @param params the parameters with their defaults, secret values {@code ***}
 * @param variables the {@code TOLLGATE_PARAM_*} variables every step gets, secret values {@code
 *     ***}
 * @param steps the steps in order
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record TemplatePreview(
    String template,
    String lane,
    List<Diagnostic> problems,
    ObjectNode params,
    Map<String, String> variables,
    List<StepPreview> steps) {

  /**
   * One step as it would run.
   *
   * @param name its name
   * @param kind {@code shell}, {@code http} or {@code docker}
   * @param timeout how long it may take, e.g. {@code 10m}
   * @param runs what it runs: the shell script, {@code METHOD url}, or the image and its arguments
   */
  public record StepPreview(String name, String kind, String timeout, String runs) {}

  /** Checks the fields and copies the collections. */
  public TemplatePreview {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(lane, "lane");
    problems = List.copyOf(problems);
    params = params.deepCopy();
    variables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    steps = List.copyOf(steps);
  }

  /** The preview of {@code template} run with {@code params} in {@code lane} (null: its own). */
  public static TemplatePreview of(RunTemplate template, RunParams params, String lane) {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(params, "params");
    List<Diagnostic> problems = template.validateParams(params);
    ObjectNode shown = template.withDefaults(params.values());
    for (String secret : template.writeOnlyParams()) {
      if (shown.has(secret)) {
        shown.put(secret, "***");
      }
    }
    Map<String, String> variables = new LinkedHashMap<>();
    shown
        .fields()
        .forEachRemaining(e -> variables.put(ParamValues.envName(e.getKey()), text(e.getValue())));
    List<StepPreview> steps = new ArrayList<>();
    for (Step step : template.steps()) {
      steps.add(
          new StepPreview(step.name(), step.kind(), Durations.format(step.timeout()), runs(step)));
    }
    return new TemplatePreview(
        template.name(),
        lane != null ? lane : template.lane(),
        problems,
        shown,
        new LinkedHashMap<>(variables),
        steps);
  }

  /** Whether the run could be enqueued as previewed. */
  public boolean valid() {
    return problems.isEmpty();
  }

  private static String text(JsonNode value) {
    return ParamValues.text(value);
  }

  private static String runs(Step step) {
    if (step instanceof ShellStep s) {
      return s.script();
    }
    if (step instanceof HttpStep h) {
      return h.method() + " " + h.url();
    }
    DockerStep d = (DockerStep) step;
    return d.image() + (d.args().isEmpty() ? "" : " " + String.join(" ", d.args()));
  }
}
