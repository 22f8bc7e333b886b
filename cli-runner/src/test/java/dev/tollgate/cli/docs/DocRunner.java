package dev.tollgate.cli.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the commands of a {@link DocPage} in order, each with {@code sh -c} in one folder (the
 * sandbox), and says where what they did differs from what the page shows.
 */
public final class DocRunner {
  private final Path sandbox;
  private final Map<String, String> environment;
  private final Duration timeout;

  /**
   * A runner whose commands start in {@code sandbox} with exactly {@code environment}, each stopped
   * (and reported) after {@code timeout}.
   */
  public DocRunner(Path sandbox, Map<String, String> environment, Duration timeout) {
    this.sandbox = sandbox;
    this.environment = Map.copyOf(environment);
    this.timeout = timeout;
  }

  /** What a command did. */
  public record Outcome(DocPage.Command command, int exit, String printed, List<String> problems) {}

  /** Runs every command of the page that runs, in order; returns one outcome per command run. */
  public List<Outcome> run(DocPage page) throws IOException, InterruptedException {
    List<Outcome> outcomes = new ArrayList<>();
    for (DocPage.Command c : page.commands()) {
      if (c.runs()) {
        outcomes.add(run(page.name(), c));
      }
    }
    return outcomes;
  }

  private Outcome run(String pageName, DocPage.Command c) throws IOException, InterruptedException {
    Path log = Files.createTempFile("doc-test", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder("sh", "-c", c.text())
              .directory(sandbox.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
      pb.environment().clear();
      pb.environment().putAll(environment);
      Process p = pb.start();
      List<String> problems = new ArrayList<>();
      int exit;
      if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        exit = p.exitValue();
      } else {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        exit = -1;
        problems.add(
            "did not exit within "
                + timeout.toSeconds()
                + " s; mark a command that does not end by itself"
                + " '=> not run: REASON'");
      }
      String printed = Files.readString(log, StandardCharsets.UTF_8);
      String where = pageName + ":" + c.line() + ": " + c.text();
      if (exit >= 0 && exit != c.expectedExit()) {
        problems.add(
            where
                + "\n  exited with "
                + exit
                + ", the page says "
                + c.expectedExit()
                + "\n"
                + show(printed));
      }
      if (exit >= 0 && c.output().isPresent()) {
        DocPage.Expected shown = c.output().get();
        if (!ShownOutput.of(shown.lines(), sandbox.toString()).matches(printed)) {
          problems.add(
              where
                  + "\n  printed what the page does not show at line "
                  + shown.line()
                  + ".\n  The page shows:\n"
                  + indent(String.join("\n", shown.lines()))
                  + "\n"
                  + show(printed));
        }
      }
      if (exit < 0) {
        problems.set(0, where + "\n  " + problems.get(0) + "\n" + show(printed));
      }
      return new Outcome(c, exit, printed, List.copyOf(problems));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).startsWith("windows")
            ? "NUL"
            : "/dev/null");
  }

  private static String show(String printed) {
    return "  It printed:\n" + indent(printed.stripTrailing());
  }

  private static String indent(String text) {
    return text.isEmpty() ? "    (nothing)" : text.replaceAll("(?m)^", "    ");
  }
}
