package dev.tollgate.core.runs.exec.internal;

import dev.tollgate.core.config.Durations;
import dev.tollgate.core.runs.step.StepContext;
import dev.tollgate.core.runs.step.StepOutcome;
import dev.tollgate.core.runs.template.DockerStep;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link DockerStep} with the {@code docker} command: {@code docker run --rm --name NAME [-e
 * VAR ...] [-w DIR] IMAGE ARGS...}.
 *
 * <p>Variable values never appear on the command line (where any user of the host could read them
 * in the process list): {@code -e VAR} names the variable and the {@code docker} command takes its
 * value from its own environment. Before the run, {@code docker version} checks that an engine
 * answers, so a missing engine is a clear failure rather than a cryptic one.
 */
public final class DockerExecutor {
  private DockerExecutor() {}

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * How the {@code docker} command is run.
   *
   * @param docker the {@code docker} executable
   * @param environment the environment of the {@code docker} command (e.g. {@code DOCKER_HOST}),
   *     without the step's variables, which are added to it
   * @param checkTimeout how long {@code docker version} may take to answer
   */
  public record Options(String docker, Map<String, String> environment, Duration checkTimeout) {}

  /**
   * The command line running {@code step} in a container called {@code containerName}, passing the
   * variables {@code envNames} by name only.
   */
  public static List<String> command(
      String docker, DockerStep step, String containerName, Collection<String> envNames) {
    List<String> cmd = new ArrayList<>(List.of(docker, "run", "--rm", "--name", containerName));
    for (String name : envNames) {
      cmd.add("-e");
      cmd.add(name);
    }
    step.workdir().ifPresent(w -> cmd.addAll(List.of("-w", w)));
    cmd.add(step.image());
    cmd.addAll(step.args());
    return cmd;
  }

  /** A container name that says which run, attempt and step it belongs to, and is unique. */
  public static String containerName(StepContext ctx, DockerStep step) {
    byte[] random = new byte[4];
    RANDOM.nextBytes(random);
    return "tollgate-"
        + ctx.runId()
        + "-"
        + ctx.attempt()
        + "-"
        + step.name()
        + "-"
        + HexFormat.of().formatHex(random);
  }

  /**
   * Runs {@code step}; output becomes events on {@code emitter}.
   *
   * @throws InterruptedException when the calling thread is interrupted; the container is stopped
   */
  public static StepOutcome run(
      DockerStep step,
      StepContext ctx,
      Emitter emitter,
      Limits limits,
      ProcessSupervisor.Options processes,
      Options options)
      throws InterruptedException {
    if (!Files.isDirectory(ctx.workingDirectory())) {
      return ShellExecutor.failed(
          limits, "working directory " + ctx.workingDirectory() + " does not exist");
    }
    Map<String, String> vars = new LinkedHashMap<>(step.env());
    vars.putAll(StepEnvironment.variables(ctx, step.name()));
    Optional<String> problem = StepEnvironment.problem(vars);
    if (problem.isPresent()) {
      return ShellExecutor.failed(limits, problem.get());
    }
    Map<String, String> env = new LinkedHashMap<>(StepEnvironment.base(options.environment()));
    Optional<StepOutcome> engine = checkEngine(options, env, ctx, limits);
    if (engine.isPresent()) {
      return engine.get();
    }
    env.putAll(vars);
    String name = containerName(ctx, step);
    List<String> command = command(options.docker(), step, name, vars.keySet());
    ProcessSupervisor.Ended ended =
        ProcessSupervisor.run(
            command,
            env,
            ctx.workingDirectory(),
            emitter,
            limits,
            processes,
            new ProcessSupervisor.Cleanup(List.of(options.docker(), "rm", "--force", name)));
    return ShellExecutor.outcome(ended, limits, options.docker());
  }

  /** A failed outcome when no engine answers, or the outcome of a stop during the check. */
  static Optional<StepOutcome> checkEngine(
      Options options, Map<String, String> env, StepContext ctx, Limits limits)
      throws InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(options.docker(), "version", "--format", "{{.Server.Version}}")
            .redirectErrorStream(true)
            .directory(ctx.workingDirectory().toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return Optional.of(
          ShellExecutor.failed(
              limits,
              "no docker command found: cannot run '"
                  + options.docker()
                  + "' ("
                  + e.getMessage()
                  + "); install the Docker CLI on the worker"));
    }
    long end = System.nanoTime() + options.checkTimeout().toNanos();
    try {
      while (!p.waitFor(Limits.POLL.toMillis(), TimeUnit.MILLISECONDS)) {
        Limits.Stop stop = limits.check();
        if (stop != Limits.Stop.NONE) {
          p.destroyForcibly();
          return Optional.of(limits.outcome(stop));
        }
        if (System.nanoTime() > end) {
          p.destroyForcibly();
          return Optional.of(
              ShellExecutor.failed(
                  limits,
                  "no Docker engine reachable: '"
                      + options.docker()
                      + " version' gave no answer within "
                      + Durations.format(options.checkTimeout())));
        }
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      throw e;
    }
    if (p.exitValue() == 0) {
      return Optional.empty();
    }
    // It has exited, so its few lines of output are all in the pipe.
    String text = readAll(p.getInputStream());
    String why =
        text.lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty())
            .reduce((a, b) -> b)
            .orElse("'" + options.docker() + " version' exited with code " + p.exitValue());
    return Optional.of(ShellExecutor.failed(limits, "no Docker engine reachable: " + why));
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
