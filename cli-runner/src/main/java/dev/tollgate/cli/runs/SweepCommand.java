package dev.tollgate.cli.runs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tollgate.actions.report.JsonText;
import dev.tollgate.cli.common.DatabaseOptions;
import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.Session;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.core.runs.SweepDecision;
import dev.tollgate.core.runs.template.Durations;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tollgate sweep}: requeues (or fails, or finishes cancelling) runs whose worker stopped
 * heartbeating; once, or every interval until stopped.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Recover runs whose worker stopped heartbeating for longer than --stale-after (database"
          + " clock): requeue them with jittered exponential backoff, fail them at max attempts,"
          + " or finish cancelling them. Workers sweep too; run this where no worker runs.",
      "Exit codes: 0 swept, 2 bad input, 3 could not finish."
    })
public final class SweepCommand implements Callable<Integer> {
  @Mixin DatabaseOptions db;

  @Option(
      names = "--once",
      description = "Sweep once and exit (default: every --interval until stopped).")
  boolean once;

  @Option(
      names = "--stale-after",
      paramLabel = "DURATION",
      defaultValue = "15s",
      description = "Heartbeat age that marks a worker dead (default: ${DEFAULT-VALUE}).")
  String staleAfter;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "5s",
      description = "Time between sweeps (default: ${DEFAULT-VALUE}).")
  String interval;

  @Override
  public Integer call() throws InterruptedException {
    Duration stale = duration("--stale-after", staleAfter);
    Duration every = duration("--interval", interval);
    boolean json = db.json();
    try (Session s = Session.open(db)) {
      do {
        List<SweepDecision> decisions = s.queue().sweep(stale, 1000);
        if (json) {
          ArrayNode array = JsonText.mapper().createArrayNode();
          for (SweepDecision d : decisions) {
            var o =
                array
                    .addObject()
                    .put("id", d.runId())
                    .put("decision", d.outcome().name().toLowerCase(java.util.Locale.ROOT))
                    .put("attempt", d.attempt());
            if (d.availableAt() != null) {
              o.put("availableAt", d.availableAt().toString());
            }
          }
          db.out().println(once ? JsonText.pretty(array) : array.toString());
        } else if (decisions.isEmpty()) {
          if (once) {
            db.out().println("no stale runs");
          }
        } else {
          for (SweepDecision d : decisions) {
            db.out()
                .println(
                    "run "
                        + d.runId()
                        + " (attempt "
                        + d.attempt()
                        + "): "
                        + switch (d.outcome()) {
                          case REQUEUED -> "requeued, runnable from " + d.availableAt();
                          case ERROR -> "failed: its attempts are used up";
                          case CANCELLED -> "cancelled (cancel had been requested)";
                        });
          }
        }
        db.out().flush();
        if (!once) {
          Thread.sleep(every.toMillis());
        }
      } while (!once);
    }
    return ExitCode.OK;
  }

  private Duration duration(String option, String text) {
    try {
      return Durations.parse(text);
    } catch (RuntimeException e) {
      throw db.usage(option + ": expected a duration such as 500ms, 15s, 5m, found '" + text + "'");
    }
  }
}
