package dev.tollgate.core.runs.exec;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunContext;
import dev.tollgate.core.runs.RunExecutor;
import dev.tollgate.core.runs.RunOutcome;
import dev.tollgate.core.runs.RunStatus;
import dev.tollgate.core.runs.exec.internal.RunFolders;
import dev.tollgate.core.runs.step.CancellationSignal;
import dev.tollgate.core.runs.step.Secrets;
import dev.tollgate.core.runs.step.StepContext;
import dev.tollgate.core.runs.step.StepOutcome;
import dev.tollgate.core.runs.template.DockerStep;
import dev.tollgate.core.runs.template.ParamsCipher;
import dev.tollgate.core.runs.template.RetryOn;
import dev.tollgate.core.runs.template.RunTemplate;
import dev.tollgate.core.runs.template.SecretParams;
import dev.tollgate.core.runs.template.ShellStep;
import dev.tollgate.core.runs.template.Step;
import dev.tollgate.core.runs.template.TemplateCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * Executes a run by running its template's steps in order with a {@link StepRunner}, streaming
 * every step event into the run's log.
 *
 * <p>The template is the exact definition recorded when the run was enqueued, which the claim hands
 * over with the run ({@link Run#templateDefinition()}), so editing a template file never changes
 * queued runs and the executor never reads the queue; a run enqueued without one (by {@code psql},
 * say) uses the worker's catalog. Each recorded definition is parsed once per executor (they are
 * keyed by their hash, so they never change). Parameters whose schema says {@code writeOnly: true}
 * are treated as secrets: their values are stored sealed ({@link SecretParams}) and opened here
 * with the worker's {@link ParamsCipher}, and masked in every event together with the secrets the
 * worker knows (its database password, its environment's variables named like secrets). A run whose
 * sealed values this worker cannot open fails with a message saying why, without running a step.
 * Each run gets a fresh working folder in the temporary folder, removed afterwards; the folders of
 * runs whose worker was killed before it could remove them are removed by the first executor a JVM
 * creates (each folder has a lock file its process holds; docs/runs.md).
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class TemplateRunExecutor implements RunExecutor {

  private static final int MAX_RECORDED = 256;

  private final TemplateCatalog catalog;
  private final StepRunner runner;
  // Recorded definitions never change (they are keyed by their hash), so each is parsed once.
  private final Map<String, RunTemplate> recorded = new ConcurrentHashMap<>();
  private final Optional<ParamsCipher> cipher;
  private final Secrets known;
  private final RunFolders folders = RunFolders.inTemporaryFolder();

  /** An executor with the default {@link StepRunner}, no key and no secrets known beforehand. */
  public TemplateRunExecutor(TemplateCatalog catalog) {
    this(catalog, StepRunner.create());
  }

  /** An executor with a given {@link StepRunner}, no key and no secrets known beforehand. */
  public TemplateRunExecutor(TemplateCatalog catalog, StepRunner runner) {
    this(catalog, runner, Optional.empty(), Secrets.none());
  }

  /**
   * An executor with a given {@link StepRunner}.
   *
   * @param catalog the templates of runs enqueued without a recorded definition
   * @param cipher opens the runs' sealed secret parameters; without one, a run that has some fails
   * @param known secrets masked in every run's events besides its {@code writeOnly} parameters
   */
  public TemplateRunExecutor(
      TemplateCatalog catalog, StepRunner runner, Optional<ParamsCipher> cipher, Secrets known) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.runner = Objects.requireNonNull(runner, "runner");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.known = Objects.requireNonNull(known, "known");
    // What workers killed before they could clean up left behind (once per JVM).
    folders.sweepOnce();
  }

  @Override
  public RunOutcome execute(Run run, RunContext context) throws IOException {
    RunTemplate template = resolve(run);
    ObjectNode params;
    try {
      params = SecretParams.reveal(run, cipher);
    } catch (TollgateException e) {
      return RunOutcome.error(e.getMessage());
    }
    Secrets secrets = known.and(secrets(template, params));
    CancellationSignal cancellation = CancellationSignal.create();
    context.onStop(() -> cancellation.cancel(context.stopReason()));
    RunFolders.Folder folder = folders.create(run.id());
    Path work = folder.path();
    try {
      for (Step step : template.steps()) {
        if (cancellation.isCancelled()) {
          return RunOutcome.cancelled(cancellation.reason().orElse("cancelled"));
        }
        StepContext.Builder ctx =
            StepContext.builder(run.id(), run.attempt())
                .params(params)
                .workingDirectory(work)
                .events(event -> context.emit(event.toNewEvent()))
                .cancellation(cancellation)
                .secrets(secrets);
        // The worker owns the run's timeout; the step is only told what is left of it.
        context.timeLeft().ifPresent(ctx::timeLimit);
        StepOutcome outcome = runner.run(step, ctx.build());
        if (outcome instanceof StepOutcome.Cancelled c) {
          return RunOutcome.cancelled(secrets.mask(c.reason()));
        }
        if (!outcome.succeeded()) {
          String message = "step " + step.name() + " " + secrets.mask(outcome.summary());
          return outcome instanceof StepOutcome.TimedOut
              ? RunOutcome.timeout(message)
              : RunOutcome.error(message);
        }
      }
      return RunOutcome.success();
    } finally {
      folder.close();
    }
  }

  /**
   * Whether the run's template (as recorded with the run) names this failure in {@code retry_on}:
   * {@code timeout} for a step or run that took too long, {@code error} for any other failure.
   */
  @Override
  public boolean retries(Run run, RunOutcome outcome) {
    if (outcome.status() != RunStatus.ERROR) {
      return false;
    }
    return resolve(run).retryOn().contains(outcome.timedOut() ? RetryOn.TIMEOUT : RetryOn.ERROR);
  }

  private RunTemplate resolve(Run run) {
    String hash = run.templateHash();
    String definition = run.templateDefinition();
    if (hash == null || definition == null || definition.isEmpty()) {
      return catalog.get(run.template());
    }
    RunTemplate known = recorded.get(hash);
    if (known != null) {
      return known;
    }
    RunTemplate template =
        RunTemplate.parse(
            definition.getBytes(StandardCharsets.UTF_8),
            // The recorded copy of the template file, named as the file was.
            RunTemplate.DIRECTORY + "/" + run.template() + ".yml");
    if (recorded.size() >= MAX_RECORDED) {
      recorded.clear();
    }
    recorded.put(hash, template);
    return template;
  }

  /**
   * The run's own secrets: its {@code writeOnly} parameters' values (each text inside one that is a
   * list or an object too), and the values of variables named like secrets that its steps declare.
   */
  private static Secrets secrets(RunTemplate template, ObjectNode params) {
    Secrets declared = Secrets.none();
    for (Step step : template.steps()) {
      if (step instanceof ShellStep shell) {
        declared = declared.and(Secrets.namedLikeSecrets(shell.env()));
      } else if (step instanceof DockerStep docker) {
        declared = declared.and(Secrets.namedLikeSecrets(docker.env()));
      }
    }
    return SecretParams.writeOnlyValues(template, params).and(declared);
  }
}
