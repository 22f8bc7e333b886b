package dev.tollgate.cli;

import dev.tollgate.core.deploy.DeploySpecLoader;
import dev.tollgate.core.repo.RepositoryView;
import dev.tollgate.policy.MergeGate;
import dev.tollgate.speckit.SpecKitValidator;
import java.lang.invoke.MethodHandles;

/**
 * The one-time set-up that the command a command line names is known to need, done on a background
 * thread while picocli builds its model of the command and parses the arguments: JGit's
 * process-wide state, Jackson, the JSON Schema validator and, for {@code gate}, the policy's schema
 * (for {@code deploy} and {@code rollback}, the deploy spec's); for {@code spec-kit}, the
 * validator's Markdown parser and rules. In a fresh JVM building picocli's model takes about a
 * third of a short command's time and needs none of these, so on two or more cores the two overlap
 * (docs/benchmarks.md, "Runner start-up", third round).
 *
 * <p>The command waits for the set-up to finish before it runs ({@link #await}), so no class is
 * ever being initialised by the set-up while the command uses it, and what the command computes is
 * what it computes without the set-up. A failure in the set-up is dropped: the command meets the
 * same problem on its own thread and reports it there. Only {@link Main} starts it, so tests that
 * call {@link TollgateCommand#execute} run without it.
 */
final class Warmup {
  private static volatile Thread running;

  private Warmup() {}

  /** Starts the set-up for the command {@code args} names, if it needs any. */
  static void start(String... args) {
    Runnable work = work(args.length > 0 ? args[0] : "");
    if (work == null) {
      return;
    }
    Thread thread =
        new Thread(
            () -> {
              try {
                work.run();
              } catch (RuntimeException | LinkageError e) {
                // The command meets the same problem on its own thread and reports it.
              }
            },
            "tollgate-warmup");
    thread.setDaemon(true);
    running = thread;
    thread.start();
  }

  /** The set-up of the top-level command {@code command}, or null when it needs none. */
  static Runnable work(String command) {
    return switch (command) {
      case "gate" ->
          () -> {
            initialise(MergeGate.class); // Jackson, the schema validator, the policy's schema
            RepositoryView.prepare();
          };
      case "spec-kit" -> SpecKitValidator::prepare;
      case "deploy", "rollback" ->
          () -> {
            DeploySpecLoader.prepare(); // Jackson, the schema validator, the deploy spec's schema
            RepositoryView.prepare();
          };
      default -> null;
    };
  }

  private static void initialise(Class<?> type) {
    try {
      MethodHandles.lookup().ensureInitialized(type);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the set-up started by {@link #start} has finished; returns at once if none. */
  static void await() {
    Thread thread = running;
    if (thread == null) {
      return;
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    running = null;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
