package dev.tollgate.core.runs.exec;

import dev.tollgate.core.runs.template.ShellStep;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM for {@link StepWatchdogTest}: runs one shell step with a {@link StepRunner} and waits
 * to be killed.
 *
 * <p>Arguments: the working folder, the session launcher ({@code default} or {@code perl}), the
 * kill grace in milliseconds, and the script.
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
    runner.run(
        ShellStep.of("host", Duration.ofMinutes(10), args[3]),
        StepContext.builder(7, 1).workingDirectory(Path.of(args[0])).events(e -> {}).build());
  }
}
