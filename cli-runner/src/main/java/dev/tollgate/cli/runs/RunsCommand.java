package dev.tollgate.cli.runs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.actions.report.AtomicFiles;
import dev.tollgate.actions.report.JsonText;
import dev.tollgate.cli.common.DatabaseOptions;
import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.Session;
import dev.tollgate.cli.common.Terminal;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.runs.Artifact;
import dev.tollgate.core.runs.CancelResult;
import dev.tollgate.core.runs.Completion;
import dev.tollgate.core.runs.CompletionResult;
import dev.tollgate.core.runs.Heartbeat;
import dev.tollgate.core.runs.Lease;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunEvent;
import dev.tollgate.core.runs.RunFilter;
import dev.tollgate.core.runs.RunStatus;
import dev.tollgate.core.runs.RunStep;
import dev.tollgate.core.runs.template.TemplateCatalog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tollgate runs}: the run queue from the command line. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Enqueue, inspect, cancel and retry runs; claim and complete them by hand.",
    subcommands = {
      RunsEnqueueCommand.class,
      RunsCommand.Claim.class,
      RunsCommand.HeartbeatCmd.class,
      RunsCommand.Complete.class,
      RunsCommand.Cancel.class,
      RunsCommand.Retry.class,
      RunsCommand.ListCmd.class,
      RunsCommand.Show.class,
      RunsCommand.Logs.class,
      RunsCommand.Artifacts.class,
      RunsCommand.ArtifactCmd.class,
      RunsCommand.Stats.class
    })
public final class RunsCommand {

  static Lease lease(Session s, long runId, String workerId) {
    Run run = s.run(runId);
    if (run.status() != RunStatus.RUNNING || !workerId.equals(run.workerId())) {
      throw TollgateException.badInput(
          "run "
              + runId
              + " is "
              + run.status().wireName()
              + (run.workerId() == null ? "" : " held by " + run.workerId())
              + ", not running for worker "
              + workerId);
    }
    return new Lease(runId, run.attempt(), workerId);
  }

  @Command(
      name = "claim",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Claim up to --limit runnable runs from a lane for a worker that executes them itself;"
            + " heartbeat them and complete them with the other subcommands.",
        "Exit codes: 0 claimed (possibly none), 2 bad input, 3 could not finish."
      })
  static final class Claim implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Option(
        names = "--lane",
        required = true,
        paramLabel = "LANE",
        description = "Lane to claim from (repeatable or comma-separated).",
        split = ",")
    List<String> lanes;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "1",
        description = "At most this many runs (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(
        names = "--worker-id",
        required = true,
        paramLabel = "ID",
        description = "Who claims; later calls must use the same id.")
    String workerId;

    @Override
    public Integer call() {
      if (limit < 1 || limit > 1000) {
        throw db.usage("--limit must be in 1..1000 but was " + limit);
      }
      boolean json = db.json();
      try (Session s = Session.open(db)) {
        List<Run> runs = s.queue().claim(workerId, lanes, limit);
        if (json) {
          db.out().println(JsonText.pretty(RunViews.json(runs)));
        } else if (runs.isEmpty()) {
          db.out().println("no runnable run in " + String.join(", ", lanes));
        } else {
          runs.forEach(r -> db.out().println(RunViews.line(r)));
        }
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "heartbeat",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Heartbeat a run this worker holds, and say whether cancel was requested.",
        "Prints ok, cancel (stop the run and complete it as cancelled) or lost (the run was swept:"
            + " stop and write nothing).",
        "Exit codes: 0 ok, 1 cancel requested or lost, 2 bad input, 3 could not finish."
      })
  static final class HeartbeatCmd implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    long runId;

    @Option(
        names = "--worker-id",
        required = true,
        paramLabel = "ID",
        description = "The worker that claimed it.")
    String workerId;

    @Option(
        names = "--attempt",
        paramLabel = "N",
        description = "The attempt claimed (default: the run's current attempt).")
    Integer attempt;

    @Override
    public Integer call() {
      boolean json = db.json();
      try (Session s = Session.open(db)) {
        int a = attempt != null ? attempt : Math.max(1, s.run(runId).attempt());
        Heartbeat answer = s.queue().heartbeat(new Lease(runId, a, workerId));
        String word =
            switch (answer) {
              case OK -> "ok";
              case CANCEL_REQUESTED -> "cancel";
              case LOST -> "lost";
            };
        if (json) {
          ObjectNode o =
              JsonText.mapper().createObjectNode().put("id", runId).put("heartbeat", word);
          o.put("cancelRequested", answer == Heartbeat.CANCEL_REQUESTED);
          db.out().println(JsonText.pretty(o));
        } else {
          db.out().println(word);
        }
        return answer == Heartbeat.OK ? ExitCode.OK : ExitCode.FINDINGS;
      }
    }
  }

  @Command(
      name = "complete",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Complete a run this worker holds. If cancel was requested the run ends cancelled"
            + " whatever status is given.",
        "Exit codes: 0 completed, 1 refused (the run is no longer this worker's), 2 bad input,"
            + " 3 could not finish."
      })
  static final class Complete implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    long runId;

    @Option(
        names = "--worker-id",
        required = true,
        paramLabel = "ID",
        description = "The worker that claimed it.")
    String workerId;

    @Option(
        names = "--status",
        required = true,
        paramLabel = "STATUS",
        description = "success, error or cancelled.")
    String status;

    @Option(names = "--message", paramLabel = "TEXT", description = "A short explanation.")
    String message;

    @Option(
        names = "--attempt",
        paramLabel = "N",
        description = "The attempt claimed (default: the run's current attempt).")
    Integer attempt;

    @Override
    public Integer call() {
      RunStatus parsed;
      try {
        parsed = RunStatus.fromWire(status);
      } catch (IllegalArgumentException e) {
        throw db.usage(
            "--status must be one of success, error, cancelled but was '" + status + "'");
      }
      if (!parsed.isTerminal()) {
        throw db.usage(
            "--status must be one of success, error, cancelled but was '" + status + "'");
      }
      boolean json = db.json();
      try (Session s = Session.open(db)) {
        int a = attempt != null ? attempt : Math.max(1, s.run(runId).attempt());
        CompletionResult result =
            s.queue().complete(new Completion(new Lease(runId, a, workerId), parsed, message));
        Run run = s.run(runId);
        if (json) {
          ObjectNode o = RunViews.json(run);
          o.put("accepted", !result.lost());
          db.out().println(JsonText.pretty(o));
        } else if (result.lost()) {
          db.out()
              .println(
                  "refused: run " + runId + " is not running for " + workerId + " at attempt " + a);
        } else {
          db.out().println(RunViews.line(run));
        }
        return result.lost() ? ExitCode.FINDINGS : ExitCode.OK;
      }
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Cancel a run: a queued run never starts; a running one is stopped within one heartbeat"
            + " interval (its process tree killed); a finished one is unaffected.",
        "Exit codes: 0 cancelled or cancel requested, 1 already finished, 2 bad input, 3 could not"
            + " finish."
      })
  static final class Cancel implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    long runId;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded on the run.")
    String reason;

    @Override
    public Integer call() {
      boolean json = db.json();
      try (Session s = Session.open(db)) {
        CancelResult result = s.queue().cancel(runId, reason);
        if (result == CancelResult.NOT_FOUND) {
          throw TollgateException.badInput("run " + runId + ": no run has this id");
        }
        Run run = s.run(runId);
        if (json) {
          ObjectNode o = RunViews.json(run);
          o.put("cancel", result.name().toLowerCase(java.util.Locale.ROOT));
          db.out().println(JsonText.pretty(o));
        } else {
          db.out()
              .println(
                  switch (result) {
                    case CANCELLED -> "run " + runId + " cancelled; it will not start";
                    case CANCEL_REQUESTED ->
                        "run "
                            + runId
                            + " is running on "
                            + run.workerId()
                            + "; cancel requested, it stops within one heartbeat interval";
                    default ->
                        "run "
                            + runId
                            + " already finished ("
                            + run.status().wireName()
                            + "); unchanged";
                  });
        }
        return result == CancelResult.UNCHANGED ? ExitCode.FINDINGS : ExitCode.OK;
      }
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = {
        "Enqueue a failed or cancelled run again, linked to the original: the same parameters,"
            + " lane and priority, and the template as it was when the original was enqueued"
            + " (its recorded definition), not as the file reads now. With --current-template,"
            + " the template file as it is now.",
        "Exit codes: 0 enqueued, 2 bad input, 3 could not finish."
      })
  static final class Retry implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    long runId;

    @Option(
        names = "--current-template",
        description =
            "Use the template file under --dir as it is now (its steps, attempts, backoff and"
                + " timeout; the parameters are checked against its schema) instead of the"
                + " definition recorded at enqueue time.")
    boolean currentTemplate;

    @Override
    public Integer call() {
      boolean json = db.json();
      TemplateCatalog catalog = currentTemplate ? db.templates() : null;
      try (Session s = Session.open(db)) {
        Run original = s.run(runId);
        Run run =
            currentTemplate
                ? s.queue()
                    .enqueue(db.template(catalog, original.template()).retrying(original).build())
                    .run()
                : s.queue().retry(runId);
        db.out().println(json ? JsonText.pretty(RunViews.json(run)) : RunViews.line(run));
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "List runs, newest first.",
        "Exit codes: 0 listed, 2 bad input, 3 could not finish."
      })
  static final class ListCmd implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Option(
        names = "--status",
        paramLabel = "STATUS",
        description = "queued, running, success, error or cancelled.")
    String status;

    @Option(names = "--lane", paramLabel = "LANE", description = "Only this lane.")
    String lane;

    @Option(names = "--template", paramLabel = "NAME", description = "Only this template.")
    String template;

    @Option(
        names = "--since",
        paramLabel = "WHEN",
        description =
            "Only runs created since: an instant (2026-11-21T10:00:00Z) or a duration ago (30m, 2h, 1d).")
    String since;

    @Option(
        names = "--search",
        paramLabel = "TEXT",
        description = "Text in the template, parameters, message or key.")
    String search;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "50",
        description = "At most this many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      RunStatus st = null;
      if (status != null) {
        try {
          st = RunStatus.fromWire(status);
        } catch (IllegalArgumentException e) {
          throw db.usage("--status: " + e.getMessage());
        }
      }
      if (limit < 1 || limit > 1000) {
        throw db.usage("--limit must be in 1..1000 but was " + limit);
      }
      Instant from = since == null ? null : parseSince(since);
      boolean json = db.json();
      try (Session s = Session.open(db)) {
        List<Run> runs = s.queue().list(new RunFilter(st, lane, template, from, search, limit));
        if (json) {
          db.out().println(JsonText.pretty(RunViews.json(runs)));
        } else if (runs.isEmpty()) {
          db.out().println("no runs match");
        } else {
          runs.forEach(r -> db.out().println(RunViews.line(r)));
        }
      }
      return ExitCode.OK;
    }

    private Instant parseSince(String text) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        String t = text.strip();
        if (t.endsWith("d") && t.substring(0, t.length() - 1).matches("\\d+")) {
          return db.clock()
              .instant()
              .minus(Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1))));
        }
        try {
          return db.clock().instant().minus(dev.tollgate.core.config.Durations.parse(t));
        } catch (RuntimeException bad) {
          throw db.usage(
              "--since: expected an instant like 2026-11-21T10:00:00Z or a duration like 30m, 2h,"
                  + " 1d, found '"
                  + text
                  + "'");
        }
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Show one run, and with --events its log.",
        "Exit codes: 0 shown, 2 bad input, 3 could not finish."
      })
  static final class Show implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    long runId;

    @Option(names = "--events", description = "Include the run's events.")
    boolean events;

    @Override
    public Integer call() {
      boolean json = db.json();
      try (Session s = Session.open(db)) {
        Run run = s.run(runId);
        List<RunStep> steps = s.queue().steps(runId);
        List<RunEvent> log = events ? s.queue().events(runId, 0, 100_000) : List.of();
        if (json) {
          ObjectNode o = RunViews.json(run);
          RunViews.putSteps(o, steps);
          if (events) {
            ArrayNode array = o.putArray("events");
            log.forEach(e -> array.add(RunViews.json(e)));
          }
          db.out().println(JsonText.pretty(o));
        } else {
          db.out().print(RunViews.detail(run));
          db.out().print(RunViews.steps(steps));
          if (events) {
            db.out().println("  events:");
            log.forEach(e -> db.out().println("    " + RunViews.line(e)));
          }
        }
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "logs",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Print a run's log; with --follow keep printing until the run finishes.",
        "Exit codes: 0 printed (with --follow: the run succeeded), 1 with --follow: the run ended"
            + " in error or was cancelled, 2 bad input, 3 could not finish."
      })
  static final class Logs implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    long runId;

    @Option(
        names = {"-f", "--follow"},
        description = "Keep printing new events until the run finishes.")
    boolean follow;

    @Override
    public Integer call() throws InterruptedException {
      boolean json = db.json();
      try (Session s = Session.open(db)) {
        s.run(runId);
        int seq = 0;
        while (true) {
          List<RunEvent> batch = s.queue().events(runId, seq, 1000);
          for (RunEvent e : batch) {
            db.out().println(json ? RunViews.json(e).toString() : RunViews.line(e));
            seq = e.seq();
          }
          db.out().flush();
          if (!follow) {
            return ExitCode.OK;
          }
          if (batch.isEmpty()) {
            Run run = s.run(runId);
            if (run.status().isTerminal() && s.queue().events(runId, seq, 1).isEmpty()) {
              return run.status() == RunStatus.SUCCESS ? ExitCode.OK : ExitCode.FINDINGS;
            }
            Thread.sleep(250);
          }
        }
      }
    }
  }

  @Command(
      name = "artifacts",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "List a run's artifacts; with --manifest print its sha256_manifest.txt instead.",
        "Exit codes: 0 listed, 2 bad input, 3 could not finish."
      })
  static final class Artifacts implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    long runId;

    @Option(names = "--manifest", description = "Print sha256_manifest.txt (for sha256sum -c).")
    boolean manifest;

    @Override
    public Integer call() {
      boolean json = db.json();
      try (Session s = Session.open(db)) {
        s.run(runId);
        if (manifest) {
          db.out().print(s.queue().manifest(runId));
          return ExitCode.OK;
        }
        List<Artifact> list = s.queue().artifacts(runId);
        if (json) {
          ArrayNode array = JsonText.mapper().createArrayNode();
          list.forEach(a -> array.add(RunViews.json(a)));
          db.out().println(JsonText.pretty(array));
        } else if (list.isEmpty()) {
          db.out().println("run " + runId + " has no artifacts");
        } else {
          for (Artifact a : list) {
            db.out().printf("%-40s %10d  %s%n", a.name(), a.size(), a.sha256());
          }
        }
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "artifact",
      mixinStandardHelpOptions = true,
      description = "Store or fetch one artifact of a run.",
      subcommands = {RunsCommand.ArtifactPut.class, RunsCommand.ArtifactGet.class})
  static final class ArtifactCmd {}

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Store FILE as artifact NAME of a run this worker holds.",
        "Exit codes: 0 stored, 1 refused (the run is no longer this worker's), 2 bad input (unsafe"
            + " name, file too large), 3 could not finish."
      })
  static final class ArtifactPut implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    long runId;

    @Parameters(
        index = "1",
        paramLabel = "NAME",
        description = "Artifact name: a relative path without '..'.")
    String name;

    @Parameters(index = "2", paramLabel = "FILE", description = "The file to store.")
    Path file;

    @Option(
        names = "--worker-id",
        required = true,
        paramLabel = "ID",
        description = "The worker that claimed the run.")
    String workerId;

    @Override
    public Integer call() throws IOException {
      db.json();
      if (!Files.isRegularFile(file)) {
        throw db.usage("FILE '" + file + "' does not exist or is not a file");
      }
      try (Session s = Session.open(db)) {
        Lease lease = lease(s, runId, workerId);
        boolean stored = s.queue().putArtifact(lease, name, Files.readAllBytes(file));
        db.out()
            .println(
                stored
                    ? "stored " + name
                    : "refused: run " + runId + " is no longer held by " + workerId);
        return stored ? ExitCode.OK : ExitCode.FINDINGS;
      }
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Write artifact NAME of a run to --output (default: standard output).",
        "Exit codes: 0 written, 2 bad input (no such artifact), 3 could not finish."
      })
  static final class ArtifactGet implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    long runId;

    @Parameters(index = "1", paramLabel = "NAME", description = "Artifact name.")
    String name;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Write here (atomically) instead of standard output.")
    Path output;

    @Override
    public Integer call() throws IOException {
      db.json();
      try (Session s = Session.open(db)) {
        s.run(runId);
        byte[] content =
            s.queue()
                .artifactContent(runId, name)
                .orElseThrow(
                    () ->
                        TollgateException.badInput(
                            "run "
                                + runId
                                + " has no artifact '"
                                + name
                                + "'; see `tollgate runs artifacts "
                                + runId
                                + "`"));
        if (output != null) {
          AtomicFiles.write(output, content);
        } else {
          db.out().flush();
          OutputStream out = Terminal.stdoutBytes();
          out.write(content);
          out.flush();
        }
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Queue depth per lane, running runs with their heartbeat age, stuck runs per hour,"
            + " recovery success rate and mean time to recovery (last 24 hours).",
        "Exit codes: 0 shown, 2 bad input, 3 could not finish."
      })
  static final class Stats implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Override
    public Integer call() {
      boolean json = db.json();
      try (Session s = Session.open(db)) {
        var stats = s.queue().stats();
        if (json) {
          db.out().println(JsonText.pretty(RunViews.json(stats)));
        } else {
          db.out().print(RunViews.text(stats));
        }
      }
      return ExitCode.OK;
    }
  }
}
