package dev.tollgate.cli.runs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.runs.Artifact;
import dev.tollgate.core.runs.QueueStats;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunEvent;
import dev.tollgate.core.runs.RunJson;
import dev.tollgate.core.runs.RunStep;
import java.time.Duration;
import java.util.List;

/** How runs, events, artifacts and queue figures are shown: text for people, JSON for tools. */
public final class RunViews {
  private RunViews() {}

  static ObjectNode json(Run run) {
    return RunJson.run(run);
  }

  static ArrayNode json(List<Run> runs) {
    return RunJson.runs(runs);
  }

  static ObjectNode json(RunEvent e) {
    return RunJson.event(e);
  }

  static ObjectNode json(Artifact a) {
    return RunJson.artifact(a);
  }

  static ObjectNode json(QueueStats s) {
    return RunJson.stats(s);
  }

  static String line(Run run) {
    StringBuilder sb = new StringBuilder();
    sb.append("run ").append(run.id()).append("  ").append(run.status().wireName());
    sb.append("  ").append(run.template()).append("  lane=").append(run.lane());
    sb.append("  attempt ").append(run.attempt()).append('/').append(run.maxAttempts());
    if (run.workerId() != null) {
      sb.append("  worker=").append(run.workerId());
    }
    if (run.cancelRequested() && !run.status().isTerminal()) {
      sb.append("  (cancel requested)");
    }
    if (run.message() != null) {
      sb.append("  — ").append(run.message());
    }
    return sb.toString();
  }

  static String detail(Run run) {
    StringBuilder sb = new StringBuilder(line(run)).append('\n');
    sb.append("  params:     ").append(run.params()).append('\n');
    sb.append("  priority:   ").append(run.priority()).append('\n');
    sb.append("  created:    ").append(run.createdAt()).append('\n');
    if (run.startedAt() != null) {
      sb.append("  started:    ").append(run.startedAt()).append('\n');
    }
    if (run.heartbeatAt() != null && !run.status().isTerminal()) {
      sb.append("  heartbeat:  ").append(run.heartbeatAt()).append('\n');
    }
    if (run.finishedAt() != null) {
      sb.append("  finished:   ").append(run.finishedAt()).append('\n');
    }
    if (run.idempotencyKey() != null) {
      sb.append("  key:        ").append(run.idempotencyKey()).append('\n');
    }
    if (run.retryOf() != null) {
      sb.append("  retry of:   run ").append(run.retryOf()).append('\n');
    }
    if (run.cancelReason() != null) {
      sb.append("  cancel:     ").append(run.cancelReason()).append('\n');
    }
    return sb.toString();
  }

  /**
   * The steps each attempt started, and a warning for a step that started more than once; empty
   * when no step has started.
   */
  static String steps(List<RunStep> steps) {
    if (steps.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("  steps:\n");
    for (RunStep step : steps) {
      sb.append("    attempt ").append(step.attempt()).append("  ").append(step.name());
      sb.append("  ").append(step.status());
      sb.append("  started ").append(step.startedAt());
      if (step.finishedAt() != null) {
        sb.append("  finished ").append(step.finishedAt());
      }
      sb.append('\n');
    }
    stepStarts(steps)
        .forEach(
            (name, starts) -> {
              if (starts > 1) {
                sb.append("  step ")
                    .append(name)
                    .append(" started ")
                    .append(starts)
                    .append(" times: an earlier attempt's worker was lost after it started")
                    .append(" (see docs/runs.md, Execution guarantees)\n");
              }
            });
    return sb.toString();
  }

  /** Adds {@code steps} and {@code stepStarts} (how many times each step started). */
  static void putSteps(ObjectNode o, List<RunStep> steps) {
    RunJson.putSteps(o, steps);
  }

  private static java.util.Map<String, Integer> stepStarts(List<RunStep> steps) {
    java.util.Map<String, Integer> starts = new java.util.LinkedHashMap<>();
    steps.forEach(step -> starts.merge(step.name(), 1, Integer::sum));
    return starts;
  }

  static String line(RunEvent e) {
    StringBuilder sb = new StringBuilder();
    sb.append(e.at()).append("  #").append(e.attempt()).append("  ");
    if (e.kind().equals("output")) {
      sb.append(e.stream() == null ? "out" : e.stream()).append(" | ");
      sb.append(e.message() == null ? "" : e.message());
    } else {
      sb.append(e.kind());
      if (e.message() != null) {
        sb.append(": ").append(e.message());
      }
      if (e.data() != null && !e.data().isEmpty()) {
        sb.append("  ").append(e.data());
      }
    }
    return sb.toString();
  }

  static String text(QueueStats s) {
    StringBuilder sb = new StringBuilder("Queue depth by lane:\n");
    if (s.lanes().isEmpty()) {
      sb.append("  (no queued runs)\n");
    }
    for (QueueStats.LaneDepth l : s.lanes()) {
      sb.append(
          String.format(
              "  %-20s queued %6d  runnable %6d  oldest %s%n",
              l.lane(), l.queued(), l.runnable(), age(l.oldestAge())));
    }
    sb.append("Running:\n");
    if (s.running().isEmpty()) {
      sb.append("  (none)\n");
    }
    for (QueueStats.RunningRun r : s.running()) {
      sb.append(
          String.format(
              "  run %-8d %-12s worker %-30s heartbeat %s ago%n",
              r.runId(), r.lane(), r.workerId(), age(r.heartbeatAge())));
    }
    long stuck = s.stuckPerHour().stream().mapToLong(QueueStats.HourCount::count).sum();
    sb.append("Stuck runs swept in the last 24 h: ").append(stuck);
    if (!s.stuckPerHour().isEmpty()) {
      sb.append(" (per hour:");
      s.stuckPerHour().forEach(h -> sb.append(' ').append(h.count()));
      sb.append(')');
    }
    sb.append('\n');
    sb.append("Recovered (requeued) in 24 h: ").append(s.recoveries());
    if (s.recoveries() > 0) {
      sb.append(
          String.format(
              ", later succeeded: %d (%.0f%%)", s.recoveredOk(), 100 * s.recoverySuccessRate()));
    }
    sb.append('\n');
    if (s.meanTimeToRecovery() != null) {
      sb.append("Mean time to recovery: ").append(age(s.meanTimeToRecovery())).append('\n');
    }
    return sb.toString();
  }

  public static String age(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 120_000) {
      return String.format("%.1f s", ms / 1000.0);
    }
    if (ms < 7_200_000) {
      return (ms / 60_000) + " min";
    }
    return (ms / 3_600_000) + " h";
  }
}
