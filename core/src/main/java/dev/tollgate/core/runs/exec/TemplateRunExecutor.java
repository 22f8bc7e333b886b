package dev.tollgate.core.runs.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.db.DatabaseRetry;
import dev.tollgate.core.runs.NewEvent;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunContext;
import dev.tollgate.core.runs.RunExecutor;
import dev.tollgate.core.runs.RunOutcome;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.WorkerOptions;
import dev.tollgate.core.runs.template.RunTemplate;
import dev.tollgate.core.runs.template.Step;
import dev.tollgate.core.runs.template.TemplateCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Executes a run by running its template's steps in order with a {@link StepRunner}, streaming
 * every step event into the run's log.
 *
 * <p>The template is the exact definition recorded when the run was enqueued (by its hash), so
 * editing a template file never changes queued runs; a run enqueued without one (by {@code psql},
 * say) uses the worker's catalog. A recorded definition is read once per executor, and a read that
 * meets a database restart is retried rather than failing the run. Parameters whose schema says
 * {@code writeOnly: true} are treated as secrets: masked in every event. Each run gets a fresh
 * working folder, removed afterwards.
 */
public final class TemplateRunExecutor implements RunExecutor {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_RECORDED = 256;
  private static final DatabaseRetry READ_RETRY =
      DatabaseRetry.of(WorkerOptions.DEFAULT_DATABASE_RETRY, (what, e) -> {});

  private final RunQueue queue;
  private final TemplateCatalog catalog;
  private final StepRunner runner;
  // Recorded definitions never change (they are keyed by their hash), so each is read once.
  private final Map<String, RunTemplate> recorded = new ConcurrentHashMap<>();

  /** An executor with the default {@link StepRunner}. */
  public TemplateRunExecutor(RunQueue queue, TemplateCatalog catalog) {
    this(queue, catalog, StepRunner.create());
  }

  /** An executor with a given {@link StepRunner}. */
  public TemplateRunExecutor(RunQueue queue, TemplateCatalog catalog, StepRunner runner) {
    this.queue = queue;
    this.catalog = catalog;
    this.runner = runner;
  }

  @Override
  public RunOutcome execute(Run run, RunContext context) throws IOException {
    RunTemplate template = resolve(run);
    ObjectNode params =
        run.params().isObject() ? (ObjectNode) run.params() : JSON.createObjectNode();
    Secrets secrets = secrets(template, params);
    CancellationSignal cancellation = CancellationSignal.create();
    context.onStop(() -> cancellation.cancel(context.stopReason()));
    Path work = Files.createTempDirectory("tollgate-run-" + run.id() + "-");
    Instant deadline = run.timeout() == null ? null : Instant.now().plus(run.timeout());
    try {
      for (Step step : template.steps()) {
        if (cancellation.isCancelled()) {
          return RunOutcome.cancelled(cancellation.reason().orElse("cancelled"));
        }
        StepContext.Builder ctx =
            StepContext.builder(run.id(), run.attempt())
                .params(params)
                .workingDirectory(work)
                .events(event -> context.emit(toEvent(event)))
                .cancellation(cancellation)
                .secrets(secrets);
        if (deadline != null) {
          Duration left = Duration.between(Instant.now(), deadline);
          ctx.timeLimit(left.isNegative() ? Duration.ZERO : left);
        }
        StepOutcome outcome = runner.run(step, ctx.build());
        if (outcome instanceof StepOutcome.Cancelled c) {
          return RunOutcome.cancelled(secrets.mask(c.reason()));
        }
        if (!outcome.succeeded()) {
          return RunOutcome.error("step " + step.name() + " " + secrets.mask(outcome.summary()));
        }
      }
      return RunOutcome.success();
    } finally {
      deleteTree(work);
    }
  }

  private RunTemplate resolve(Run run) {
    String hash = run.templateHash();
    if (hash != null) {
      RunTemplate known = recorded.get(hash);
      if (known != null) {
        return known;
      }
      // A database blip must not fail the run: the read is retried like the worker's writes.
      var definition =
          READ_RETRY
              .call("read template " + run.template(), () -> queue.templateDefinition(hash))
              .value();
      if (definition.isPresent() && !definition.get().isEmpty()) {
        RunTemplate template =
            RunTemplate.parse(
                definition.get().getBytes(StandardCharsets.UTF_8),
                // The recorded copy of the template file, named as the file was.
                RunTemplate.DIRECTORY + "/" + run.template() + ".yml");
        if (recorded.size() >= MAX_RECORDED) {
          recorded.clear();
        }
        recorded.put(hash, template);
        return template;
      }
    }
    return catalog.get(run.template());
  }

  private static Secrets secrets(RunTemplate template, ObjectNode params) {
    List<String> values = new ArrayList<>();
    JsonNode properties = template.paramsSchema().path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      JsonNode value = params.get(p.getKey());
      if (p.getValue().path("writeOnly").asBoolean(false) && value != null && !value.isNull()) {
        values.add(value.isTextual() ? value.asText() : value.toString());
      }
    }
    return Secrets.of(values);
  }

  private static NewEvent toEvent(StepEvent event) {
    ObjectNode data = JSON.valueToTree(event.data());
    data.put("step", event.step());
    String stream = event instanceof StepEvent.Output o ? o.stream().label() : null;
    return new NewEvent(event.kind(), stream, event.text(), data);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A leftover temp folder is harmless; the run's outcome matters more.
    }
  }
}
