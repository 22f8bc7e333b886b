package dev.tollgate.core.runs.exec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.core.runs.step.StepContext;
import dev.tollgate.core.runs.template.RunTemplate;
import dev.tollgate.core.runs.template.internal.ParamValues;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The environment variables through which a run reaches its steps: {@code TOLLGATE_RUN_ID}, {@code
 * TOLLGATE_ATTEMPT}, {@code TOLLGATE_STEP}, {@code TOLLGATE_PARAMS} (all parameters as JSON) and
 * one {@code TOLLGATE_PARAM_<NAME>} per parameter.
 */
public final class StepEnvironment {
  private StepEnvironment() {}

  /** The variables for step {@code stepName} of the run in {@code ctx}, in a fixed order. */
  public static Map<String, String> variables(StepContext ctx, String stepName) {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("TOLLGATE_RUN_ID", Long.toString(ctx.runId()));
    vars.put("TOLLGATE_ATTEMPT", Integer.toString(ctx.attempt()));
    vars.put("TOLLGATE_STEP", stepName);
    JsonNode params = ctx.params();
    vars.put("TOLLGATE_PARAMS", params.toString());
    Iterator<Map.Entry<String, JsonNode>> fields = params.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      vars.put(ParamValues.envName(e.getKey()), ParamValues.text(e.getValue()));
    }
    return vars;
  }

  /** {@code inherited} without the variables whose names Tollgate reserves. */
  public static Map<String, String> base(Map<String, String> inherited) {
    Map<String, String> out = new LinkedHashMap<>();
    inherited.forEach(
        (k, v) -> {
          if (!k.startsWith(RunTemplate.RESERVED_ENV_PREFIX)) {
            out.put(k, v);
          }
        });
    return out;
  }

  /**
   * Why {@code vars} cannot be handed to a process, naming the variable but never its value: a NUL
   * character (environment variables end at one), or text the JVM's environment encoding ({@code
   * sun.jnu.encoding}) cannot write, which would reach the process altered.
   */
  public static Optional<String> problem(Map<String, String> vars) {
    Charset charset = environmentCharset();
    CharsetEncoder encoder = charset.newEncoder();
    for (Map.Entry<String, String> e : vars.entrySet()) {
      if (e.getValue().indexOf('\0') >= 0) {
        return Optional.of(
            e.getKey() + " contains a NUL character, which environment variables cannot hold");
      }
      if (!encoder.canEncode(e.getValue())) {
        return Optional.of(
            e.getKey()
                + " holds characters the worker's environment encoding ("
                + charset.name()
                + ") cannot pass on unchanged"
                + (charset.equals(StandardCharsets.UTF_8)
                    ? " (unpaired surrogates)"
                    : "; run the worker with a UTF-8 locale, e.g. LANG=C.UTF-8"));
      }
    }
    return Optional.empty();
  }

  /**
   * The charset the JDK encodes a child's arguments and environment in ({@code sun.jnu.encoding}).
   */
  static Charset environmentCharset() {
    String name = System.getProperty("sun.jnu.encoding");
    try {
      return name == null ? Charset.defaultCharset() : Charset.forName(name);
    } catch (RuntimeException e) {
      return Charset.defaultCharset();
    }
  }
}
