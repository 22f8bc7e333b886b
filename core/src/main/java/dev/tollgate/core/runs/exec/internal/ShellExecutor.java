package dev.tollgate.core.runs.exec.internal;

import dev.tollgate.core.runs.step.StepContext;
import dev.tollgate.core.runs.step.StepOutcome;
import dev.tollgate.core.runs.template.ShellStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Runs a {@link ShellStep} as {@code bash -c script}: the script text goes to bash as it is in the
 * template, and parameters only as environment variables, so no parameter value is ever parsed as
 * shell code.
 */
public final class ShellExecutor {
  private ShellExecutor() {}

  /**
   * Runs {@code step}; output becomes events on {@code emitter}.
   *
   * @param inherited the worker's environment, passed on without the {@code TOLLGATE_} variables
   * @throws InterruptedException when the calling thread is interrupted; the process is stopped
   */
  public static StepOutcome run(
      ShellStep step,
      StepContext ctx,
      Emitter emitter,
      Limits limits,
      ProcessSupervisor.Options options,
      Map<String, String> inherited)
      throws InterruptedException {
    Path dir =
        step.workdir().map(w -> ctx.workingDirectory().resolve(w)).orElse(ctx.workingDirectory());
    if (!Files.isDirectory(dir)) {
      return failed(limits, "working directory " + dir + " does not exist");
    }
    Map<String, String> tollgate = StepEnvironment.variables(ctx, step.name());
    Optional<String> problem = StepEnvironment.problem(tollgate);
    if (problem.isPresent()) {
      return failed(limits, problem.get());
    }
    Map<String, String> env = new LinkedHashMap<>(StepEnvironment.base(inherited));
    env.putAll(step.env());
    env.putAll(tollgate);
    ProcessSupervisor.Ended ended =
        ProcessSupervisor.runScript(step.script(), env, dir, emitter, limits, options);
    return outcome(ended, limits, "bash");
  }

  static StepOutcome outcome(ProcessSupervisor.Ended ended, Limits limits, String program) {
    if (ended instanceof ProcessSupervisor.Exited exited) {
      return exited.code() == 0
          ? new StepOutcome.Succeeded(limits.elapsed())
          : new StepOutcome.Failed(
              "exit code " + exited.code(), OptionalInt.of(exited.code()), limits.elapsed());
    }
    if (ended instanceof ProcessSupervisor.Stopped stopped) {
      return limits.outcome(stopped.stop());
    }
    return failed(
        limits,
        "cannot start " + program + ": " + ((ProcessSupervisor.StartFailed) ended).message());
  }

  static StepOutcome failed(Limits limits, String reason) {
    return new StepOutcome.Failed(reason, OptionalInt.empty(), limits.elapsed());
  }
}
