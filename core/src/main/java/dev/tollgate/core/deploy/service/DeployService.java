package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.deploy.ChangeCheck;
import dev.tollgate.core.deploy.ChangeRequest;
import dev.tollgate.core.deploy.ChangeStatus;
import dev.tollgate.core.deploy.DeploySpec;
import dev.tollgate.core.deploy.engine.DeployEngine;
import dev.tollgate.core.deploy.engine.DeployRequest;
import dev.tollgate.core.deploy.engine.DeployResult;
import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.deploy.store.Release;
import dev.tollgate.core.gate.GateResult;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * Governed deploys and rollbacks of a project's environments: {@code tollgate deploy} and {@code
 * tollgate rollback} for every front end. {@link #prepare} checks an order against the project (its
 * spec, the commit to ship, the change request) and returns a {@link Deployment} to run; the engine
 * does the rest (gates, lock, backup, checks, rollback, release record; see {@link DeployEngine}).
 *
 * <p>Thread-safe: one service serves any number of deploys.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class DeployService {
  private final DeployProject project;
  private final DeployBackend backend;
  private final Clock clock;
  private final Map<String, String> environment;

  private DeployService(Builder b) {
    this.project = b.project;
    this.backend = b.backend;
    this.clock = b.clock;
    this.environment = b.environment;
  }

  /** Returns a builder of the service deploying {@code project} with state in {@code backend}. */
  public static Builder builder(DeployProject project, DeployBackend backend) {
    return new Builder(project, backend);
  }

  /** A builder of {@link DeployService}; every setter checks its input. */
  public static final class Builder {
    private final DeployProject project;
    private final DeployBackend backend;
    private Clock clock = Clock.systemUTC();
    private Map<String, String> environment = System.getenv();

    private Builder(DeployProject project, DeployBackend backend) {
      this.project = Objects.requireNonNull(project, "project");
      this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** Sets the clock windows are judged by (default: the system clock in UTC). */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Sets the environment every step starts from (default: this process's); the values of its
     * variables named like secrets are masked.
     */
    public Builder environment(Map<String, String> value) {
      this.environment = Map.copyOf(Objects.requireNonNull(value, "environment"));
      return this;
    }

    /** Returns the service. */
    public DeployService build() {
      return new DeployService(this);
    }
  }

  /**
   * Prepares {@code order}: reads the environment's spec, resolves the ref to a commit, finds the
   * change request, and returns the deployment, which reports to {@code progress} one line per
   * thing an operator should see while it runs. Running it deploys; a deploy that records a release
   * under an approved change request moves the request to {@code in-progress}, and to {@code
   * completed} when it deploys.
   *
   * @throws DeployInputException for a ref or change request that does not exist
   * @throws dev.tollgate.core.TollgateException of kind {@code BAD_INPUT} for an unknown
   *     environment or a broken spec
   */
  public Deployment prepare(DeployOrder order, Consumer<String> progress) {
    Objects.requireNonNull(order, "order");
    Objects.requireNonNull(progress, "progress");
    DeploySpec spec = project.spec(order.environment());
    DeployTarget target = DeployTarget.resolve(project.root(), order.ref());
    DeployStore store = backend.store();
    Optional<ChangeRequest> change = Optional.empty();
    if (order.changeId().isPresent()) {
      String id = order.changeId().get();
      change =
          Optional.of(
              store
                  .change(id)
                  .orElseThrow(
                      () -> new DeployInputException(new DeployInputException.UnknownChange(id))));
    }
    DeployRequest.Builder request =
        DeployRequest.builder(order.environment(), target.commitSha(), target.version())
            .ref(target.ref())
            .actor(order.actor())
            .changeId(change.map(c -> Long.parseLong(c.id())))
            .dryRun(order.dryRun())
            .waitForLock(order.waitForLock());
    order.emergencyReason().ifPresent(request::emergency);
    Optional<ChangeRequest> cr = change;
    DeployEngine engine =
        engine(spec, progress)
            .changeGate(r -> ChangeCheck.evaluate(cr, spec, r.commitSha(), r.actor()))
            .build();
    engine.withEnvironment(environment).withSecrets(backend.secrets());
    cr.ifPresent(
        c ->
            engine.withApprovers(
                ChangeCheck.tally(c, spec.change().policy(c.type()), c.commitSha()).counted()));
    DeployRequest built = request.build();
    return new Deployment(
        engine,
        built,
        () -> {
          DeployResult result = engine.deploy(built);
          cr.ifPresent(c -> recordOnChange(store, c, built, result));
          return result;
        });
  }

  /** An approved change request a deploy released under is in progress, then completed. */
  private static void recordOnChange(
      DeployStore store, ChangeRequest change, DeployRequest request, DeployResult result) {
    if (request.dryRun()
        || result.release().isEmpty()
        || change.status() != ChangeStatus.APPROVED) {
      return;
    }
    store.setChangeStatus(change.id(), ChangeStatus.APPROVED, ChangeStatus.IN_PROGRESS);
    if (result.outcome() == DeployResult.Outcome.DEPLOYED) {
      store.setChangeStatus(change.id(), ChangeStatus.IN_PROGRESS, ChangeStatus.COMPLETED);
    }
  }

  /**
   * Prepares a rollback: the spec's rollback step runs as a deploy under the lock, with the target
   * release's version, commit and backup reference ({@code TOLLGATE_PARAM_BACKUP_REF}) as
   * parameters, then the post-deploy smoke checks, and is recorded as a release. It is declared an
   * emergency ("rollback to release N"), so windows that emergencies bypass do not stop it, and
   * needs no change request.
   *
   * @throws DeployInputException when the spec declares no rollback step, the release named does
   *     not exist or belongs to another environment, or none was named and there is no deployed
   *     release before the latest
   * @throws dev.tollgate.core.TollgateException of kind {@code BAD_INPUT} for an unknown
   *     environment or a broken spec
   */
  public Deployment prepareRollback(RollbackOrder order, Consumer<String> progress) {
    Objects.requireNonNull(order, "order");
    Objects.requireNonNull(progress, "progress");
    String env = order.environment();
    DeploySpec spec = project.spec(env);
    if (spec.rollback().isEmpty()) {
      throw new DeployInputException(
          new DeployInputException.NoRollbackStep(env, DeploySpec.DIRECTORY + "/" + env + ".yml"));
    }
    Release target = rollbackTarget(backend.store(), order);
    DeployEngine engine =
        engine(spec.asRollback(), progress)
            .changeGate(
                r -> new GateResult.Pass("change-request", "a rollback needs no change request"))
            .backupGate(rollbackBackup(target))
            .build();
    engine.withEnvironment(environment).withSecrets(backend.secrets());
    DeployRequest request =
        DeployRequest.builder(env, target.commitSha(), target.version())
            .actor(order.actor())
            .emergency("rollback to release " + target.id())
            .dryRun(order.dryRun())
            .build();
    if (target.backupRef() != null) {
      engine.withParam("backup_ref", target.backupRef());
    }
    return new Deployment(engine, request, () -> engine.deploy(request));
  }

  /**
   * What the backup gate says for a rollback: it takes no backup, it restores the target release
   * from the backup that release recorded (the rollback step gets it as {@code
   * TOLLGATE_PARAM_BACKUP_REF}).
   */
  private static GateResult rollbackBackup(Release target) {
    return new GateResult.Pass(
        "deploy-backup",
        target.backupRef() == null
            ? "the rollback step restores release "
                + target.id()
                + ", which recorded no backup reference; TOLLGATE_PARAM_BACKUP_REF is not set"
            : "the rollback step restores release "
                + target.id()
                + " from its backup "
                + target.backupRef()
                + " (TOLLGATE_PARAM_BACKUP_REF)");
  }

  private static Release rollbackTarget(DeployStore store, RollbackOrder order) {
    String env = order.environment();
    if (order.to().isPresent()) {
      long id = order.to().get();
      Release r =
          store
              .release(id)
              .orElseThrow(
                  () -> new DeployInputException(new DeployInputException.UnknownRelease(id)));
      if (!r.environment().equals(env)) {
        throw new DeployInputException(
            new DeployInputException.ReleaseOfAnotherEnvironment(id, r.environment(), env));
      }
      return r;
    }
    List<Release> deployed =
        store.releases(env, 100).stream().filter(r -> r.status().equals("deployed")).toList();
    if (deployed.size() < 2) {
      throw new DeployInputException(new DeployInputException.NoEarlierRelease(env));
    }
    return deployed.get(1);
  }

  private DeployEngine.Builder engine(DeploySpec spec, Consumer<String> progress) {
    return DeployEngine.builder(spec)
        .store(backend.store())
        .queue(backend.queue())
        .clock(clock)
        .projectRoot(project.root())
        .say(progress);
  }
}
