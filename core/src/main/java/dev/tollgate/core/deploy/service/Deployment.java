package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.deploy.engine.DeployEngine;
import dev.tollgate.core.deploy.engine.DeployRequest;
import dev.tollgate.core.deploy.engine.DeployResult;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.runs.step.Secrets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apiguardian.api.API;

/**
 * A deploy (or rollback, or promotion) that passed every check needing no lock and is ready to run,
 * as {@link DeployService} and {@link PromotionService} prepare it: its request, its gates
 * evaluated on demand, a way to stop it, and {@link #run}, which deploys and keeps the change
 * request or promotion it executes up to date.
 *
 * <p>{@link #run} blocks until the deploy ends and runs once; {@link #cancel} may be called from
 * any thread (a signal handler, an HTTP request) while it runs.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class Deployment {
  private final DeployEngine engine;
  private final DeployRequest request;
  private final Supplier<DeployResult> deploy;
  private final AtomicBoolean ran = new AtomicBoolean();

  Deployment(DeployEngine engine, DeployRequest request, Supplier<DeployResult> deploy) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.request = Objects.requireNonNull(request, "request");
    this.deploy = Objects.requireNonNull(deploy, "deploy");
  }

  /** This deployment with {@code wrapper}'s bookkeeping around the deploy. */
  Deployment around(UnaryOperator<Supplier<DeployResult>> wrapper) {
    return new Deployment(engine, request, wrapper.apply(deploy));
  }

  /** What the engine is asked to do: the commit, version, actor, change and emergency. */
  public DeployRequest request() {
    return request;
  }

  /** The deploy's gates, evaluated now, in order (the lock, the window, the change, the backup). */
  public List<GateResult> gates() {
    return engine.gates(request);
  }

  /** The steps the deploy runs, with the exact commands. */
  public List<String> plan() {
    return engine.plan();
  }

  /**
   * Adds secrets to mask in everything the deploy says and records (a token the front end uses
   * alongside it, say).
   */
  public Deployment withSecrets(Secrets more) {
    engine.withSecrets(more);
    return this;
  }

  /** Everything the deploy masks; mask what is rendered from its result with it too. */
  public Secrets secrets() {
    return engine.secrets();
  }

  /**
   * Asks the running deploy to stop: the current step is stopped and the rollback runs. A rollback
   * in progress is never interrupted.
   */
  public void cancel(String reason) {
    engine.cancel(reason);
  }

  /**
   * Runs the deploy (or, for a dry run, evaluates the gates and returns the plan) and records what
   * it means for the change request or promotion it executes.
   *
   * @throws IllegalStateException when called a second time
   */
  public DeployResult run() {
    if (!ran.compareAndSet(false, true)) {
      throw new IllegalStateException("a deployment runs once; prepare another");
    }
    return deploy.get();
  }
}
