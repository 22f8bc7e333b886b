package dev.tollgate.controlplane;

import dev.tollgate.core.deploy.engine.DeployResult;
import dev.tollgate.core.deploy.service.DeployServices;
import dev.tollgate.core.deploy.service.Deployment;
import dev.tollgate.core.deploy.service.PromotionDeploy;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.GateStatus;
import dev.tollgate.core.util.DaemonThreads;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The deploys the console started ("Deploy now"), each running on a thread of its own in this
 * process while the caller's request returns at once: the page then follows the promotion and the
 * release's log. A deploy refused by a gate is never started; what the last attempt of each
 * promotion ended with is kept in memory for whoever asks next. Closing asks every running deploy
 * to stop (its rollback runs) and waits for them.
 */
final class Deployments implements AutoCloseable {
  /** How long closing waits for running deploys to roll back and release their locks. */
  private static final long STOP_WAIT_SECONDS = 120;

  /** How a start request ended: started, or refused by the gates listed. */
  sealed interface Start {}

  /** The deploy runs. */
  record Started(String promotionId) implements Start {}

  /** A gate refused it; nothing started. */
  record Refused(List<GateResult> gates) implements Start {
    /** The gates that did not pass, in order. */
    List<GateResult> failing() {
      return gates.stream().filter(g -> g.status() != GateStatus.PASS).toList();
    }

    /** 409 when only the environment's lock refuses it (a held lock), 422 for any other gate. */
    int status() {
      List<GateResult> failing = failing();
      return failing.size() == 1 && failing.get(0).gate().equals("deploy-lock") ? 409 : 422;
    }
  }

  /**
   * How a deploy the console started ended.
   *
   * @param outcome the deploy's outcome, lower case ({@code deployed}, {@code rolled_back}, …) or
   *     {@code error} when it threw
   * @param message what happened
   * @param at when it ended
   */
  record Attempt(String outcome, String message, Instant at) {}

  private final Clock clock;
  private final Map<String, Deployment> running = new ConcurrentHashMap<>();
  private final Map<String, Attempt> last = new ConcurrentHashMap<>();
  private final ExecutorService executor;
  private volatile boolean closed;

  Deployments(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = Executors.newCachedThreadPool(DaemonThreads.named("tollgate-console-deploy"));
  }

  /**
   * Starts the deploy of an approved promotion on behalf of {@code actor}, unless a gate refuses it
   * now (the lock, the window, the change request, the backup) or the console is deploying it
   * already.
   *
   * @throws ApiException 409 when this console is deploying the promotion already, 503 when closing
   * @throws dev.tollgate.core.TollgateException as {@code PromotionService.prepareDeploy}
   */
  Start deployPromotion(
      DeployServices services, String promotionId, String actor, Optional<String> changeId) {
    if (closed) {
      throw ApiException.of(
          503, "api.stopping", "the control plane is stopping; no deploy starts now", null);
    }
    Deployment deployment =
        services
            .promotions()
            .prepareDeploy(new PromotionDeploy(promotionId, actor, changeId), line -> {});
    List<GateResult> gates = deployment.gates();
    if (gates.stream().anyMatch(g -> g.status() != GateStatus.PASS)) {
      return new Refused(gates);
    }
    if (running.putIfAbsent(promotionId, deployment) != null) {
      throw ApiException.of(
          409,
          "api.conflict",
          "promotion " + promotionId + " is being deployed already",
          "follow it on its page; it ends deployed, rolled back or failed");
    }
    try {
      executor.execute(() -> run(promotionId, deployment));
    } catch (RuntimeException e) {
      running.remove(promotionId);
      throw e;
    }
    return new Started(promotionId);
  }

  private void run(String promotionId, Deployment deployment) {
    try {
      DeployResult result = deployment.run();
      last.put(
          promotionId,
          new Attempt(
              result.outcome().name().toLowerCase(java.util.Locale.ROOT),
              result.message(),
              clock.instant()));
    } catch (RuntimeException e) {
      last.put(
          promotionId,
          new Attempt(
              "error", deployment.secrets().mask(String.valueOf(e.getMessage())), clock.instant()));
    } finally {
      running.remove(promotionId);
    }
  }

  /** Whether this console is running the promotion's deploy now. */
  boolean deploying(String promotionId) {
    return running.containsKey(promotionId);
  }

  /** How the last deploy of the promotion this console started ended, if one did. */
  Optional<Attempt> lastAttempt(String promotionId) {
    return Optional.ofNullable(last.get(promotionId));
  }

  @Override
  public void close() {
    closed = true;
    running.values().forEach(d -> d.cancel("the control plane is stopping"));
    executor.shutdown();
    try {
      executor.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
