package dev.tollgate.core.runs.template;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A step that runs a bash script ({@code bash -c script}).
 *
 * <p>Parameters never become part of the script text: the script reads them from environment
 * variables ({@code TOLLGATE_PARAM_<NAME>}, {@code TOLLGATE_PARAMS}), so a value can hold quotes,
 * {@code $(...)} or newlines without being executed. See {@code docs/templates.md}.
 *
 * @param name unique within the template
 * @param timeout the longest the script may run
 * @param script the bash script
 * @param env extra environment variables with literal values, in the order written; names may not
 *     start with {@code TOLLGATE_}
 * @param workdir the folder to run in, relative to the run's working directory; empty for the
 *     working directory itself
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record ShellStep(
    String name, Duration timeout, String script, Map<String, String> env, Optional<String> workdir)
    implements Step {

  /** Checks every field. */
  public ShellStep {
    Steps.name(name);
    Steps.positive(timeout, "timeout of step " + name);
    Objects.requireNonNull(script, "script");
    if (script.isBlank()) {
      throw new IllegalArgumentException("script of step " + name + " must not be blank");
    }
    if (script.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("script of step " + name + " contains a NUL character");
    }
    env = Steps.env(env, "env of step " + name);
    Objects.requireNonNull(workdir, "workdir");
    workdir = workdir.filter(w -> !w.isBlank());
  }

  /** A step running {@code script} in the working directory with no extra variables. */
  public static ShellStep of(String name, Duration timeout, String script) {
    return new ShellStep(name, timeout, script, Map.of(), Optional.empty());
  }

  @Override
  public String kind() {
    return "shell";
  }
}
