package dev.tollgate.examples.embedding;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.deploy.engine.DeployResult;
import dev.tollgate.core.deploy.service.DeployBackend;
import dev.tollgate.core.deploy.service.DeployOrder;
import dev.tollgate.core.deploy.service.DeployProject;
import dev.tollgate.core.deploy.service.DeployService;
import dev.tollgate.core.postgres.Migrations;
import dev.tollgate.core.postgres.PostgresDeployStore;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.Enqueued;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.Worker;
import dev.tollgate.core.runs.WorkerOptions;
import dev.tollgate.core.runs.exec.TemplateRunExecutor;
import dev.tollgate.core.runs.template.RunParams;
import dev.tollgate.core.runs.template.RunTemplate;
import dev.tollgate.core.runs.template.TemplateCatalog;
import dev.tollgate.policy.ActionOutcome;
import dev.tollgate.policy.ActionView;
import dev.tollgate.policy.PolicyEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A JVM service's use of Tollgate, as {@code docs/embedding.md} shows it: the work-item actions of
 * a project's policy, runs enqueued from its templates and executed by a worker, and governed
 * deploys of its environments, all through the library's {@code @API} types.
 *
 * <p>One instance serves one project checkout (the folder holding {@code .tollgate/} and {@code
 * work-items/}) and one migrated PostgreSQL schema.
 */
public final class EmbeddingExample {
  private final Path project;
  private final Database database;
  private final Clock clock;
  private final Map<String, String> environment;

  /**
   * An embedding of {@code project} backed by {@code database}; {@code environment} is what deploy
   * steps start from (a service passes {@code System.getenv()} or less).
   */
  public EmbeddingExample(
      Path project, Database database, Clock clock, Map<String, String> environment) {
    this.project = Objects.requireNonNull(project, "project");
    this.database = Objects.requireNonNull(database, "database");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
  }

  /** Brings the schema up to date; a service calls it once at start-up, before it serves. */
  public Migrations.Result migrate() {
    return Migrations.apply(database.dataSource(), database.schema());
  }

  /** Returns what {@code actor} may do with the item now, each action with its gates' verdict. */
  public List<ActionView> actions(String itemId, String actor) {
    return PolicyEngine.load(project, clock).actions(itemId, actor);
  }

  /**
   * Performs an action on an item: moved and its history appended when every gate passes, else
   * blocked with recovery guidance and the file unchanged.
   */
  public ActionOutcome perform(String itemId, String actionId, String actor) {
    return PolicyEngine.load(project, clock).perform(itemId, actionId, actor, clock);
  }

  /**
   * Enqueues a run of the template named {@code template} with {@code params} (checked against the
   * template's schema, defaults filled in), as {@code tollgate runs enqueue} does.
   */
  public Enqueued enqueue(String template, ObjectNode params) {
    RunTemplate definition = TemplateCatalog.forProject(project).get(template);
    return queue().enqueue(definition.newRun(RunParams.of(params)).build());
  }

  /**
   * Runs a worker on {@code lanes} until nothing is left to claim, as {@code tollgate worker
   * --once} does, and returns how many runs it executed.
   */
  public long work(List<String> lanes) throws InterruptedException {
    RunQueue queue = queue();
    TemplateRunExecutor executor = new TemplateRunExecutor(TemplateCatalog.forProject(project));
    try (Worker worker =
        Worker.builder(queue, executor)
            .options(WorkerOptions.builder().lanes(lanes).build())
            .clock(clock)
            .build()) {
      return worker.runUntilIdle();
    }
  }

  /** Returns a run as the queue holds it now. */
  public Run run(long runId) {
    return queue().find(runId).orElseThrow();
  }

  /**
   * Deploys {@code ref} (a tag, branch or commit; the checkout's HEAD when empty) to {@code
   * environment} under its lock, windows and checks, as {@code tollgate deploy} does.
   */
  public DeployResult deploy(
      String environmentName, String ref, String actor, Consumer<String> progress) {
    DeployBackend backend =
        DeployBackend.of(
            PostgresDeployStore.open(database.dataSource(), database.schema()), queue());
    DeployService deploys =
        DeployService.builder(DeployProject.at(project), backend)
            .clock(clock)
            .environment(environment)
            .build();
    DeployOrder.Builder order = DeployOrder.builder(environmentName, actor);
    if (!ref.isEmpty()) {
      order.ref(ref);
    }
    return deploys.prepare(order.build(), progress).run();
  }

  private RunQueue queue() {
    return PostgresRunQueue.open(database.dataSource(), database.schema());
  }
}
