package dev.tollgate.core.runs.exec;

import dev.tollgate.core.runs.step.StepContext;
import dev.tollgate.core.runs.template.ShellStep;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM for {@link StepWatchdogTest}: runs one shell step with a {@link StepRunner} and waits
 * to be killed.
 *
 * <p>Arguments: the working folder, the session launcher ({@code default} or {@code perl}), the
 * kill grace in milliseconds, and the scripts, each run as a step at the same time as the others.
 */
public final class StepHostMain {
  private StepHostMain() {}

  public static void main(String[] args) {
    StepRunner.Builder builder =
        StepRunner.builder().killGrace(Duration.ofMillis(Long.parseLong(args[2])));
    if (args[1].equals("perl")) {
      builder.perlSessions("perl");
    }
    StepRunner runner = builder.build();
    // Every script after the grace runs as a step of its own, all at once.
    java.util.List<Thread> steps = new java.util.ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      String script = args[i];
      Thread t =
          new Thread(
              () ->
                  runner.run(
                      ShellStep.of("host", Duration.ofMinutes(10), script),
                      StepContext.builder(7, 1)
                          .workingDirectory(Path.of(args[0]))
                          .events(e -> {})
                          .build()));
      t.start();
      steps.add(t);
    }
    for (Thread t : steps) {
      try {
        t.join();
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
