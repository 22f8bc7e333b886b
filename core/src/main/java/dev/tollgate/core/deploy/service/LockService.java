package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.deploy.store.LockAttempt;
import dev.tollgate.core.deploy.store.LockHolder;
import dev.tollgate.core.deploy.store.Release;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Environment locks and release history: hold an environment so that every deploy is refused,
 * unlock it (a running deploy's lock only by force, audited), list the locks and an environment's
 * releases. {@code tollgate lock}, {@code unlock}, {@code locks} and {@code releases} for every
 * front end. Thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class LockService {
  /** A hold never expires: its lease and staleness bound are ten years. */
  private static final Duration FOREVER = Duration.ofDays(3650);

  private final DeployBackend backend;

  /** A service with state in {@code backend}. */
  public LockService(DeployBackend backend) {
    this.backend = Objects.requireNonNull(backend, "backend");
  }

  /**
   * Holds {@code environment} on behalf of {@code actor} for {@code reason} (shown to everyone the
   * hold blocks), unless something already locks it.
   */
  public HoldResult hold(String environment, String actor, String reason) {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(reason, "reason");
    DeployStore store = backend.store();
    LockAttempt attempt =
        store.acquireLock(environment, "hold", "hold by " + actor, actor, reason, FOREVER, FOREVER);
    if (attempt instanceof LockAttempt.Held held) {
      return new HoldResult.AlreadyLocked(held.holder());
    }
    return new HoldResult.Held(store.lock(environment).orElseThrow());
  }

  /** Removes the environment's hold; a running deploy's lock is left alone. */
  public UnlockOutcome unlock(String environment, String actor) {
    return unlock(environment, actor, false);
  }

  /**
   * Removes whatever locks the environment, a running deploy's lock included (audited); that
   * deploy's later writes are then refused.
   */
  public UnlockOutcome forceUnlock(String environment, String actor) {
    return unlock(environment, actor, true);
  }

  /**
   * Removes the environment's hold (or, with {@code force}, whatever locks it) and records {@code
   * reason} with it in the environment's audit trail, so the next reader knows why it was freed.
   */
  public UnlockOutcome unlock(String environment, String actor, boolean force, String reason) {
    Objects.requireNonNull(reason, "reason");
    UnlockOutcome outcome = unlock(environment, actor, force);
    if (outcome.result() == DeployStore.UnlockResult.UNLOCKED && !reason.isBlank()) {
      backend
          .store()
          .audit(
              environment,
              actor,
              "unlock-reason",
              reason.strip(),
              com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
    }
    return outcome;
  }

  private UnlockOutcome unlock(String environment, String actor, boolean force) {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(actor, "actor");
    DeployStore store = backend.store();
    var before = store.lock(environment);
    return new UnlockOutcome(store.unlock(environment, actor, force), before);
  }

  /** Every held lock. */
  public List<LockHolder> locks() {
    return backend.store().locks();
  }

  /** The environment's releases, newest first, at most {@code limit}: one query. */
  public List<Release> releases(String environment, int limit) {
    return backend.store().releases(Objects.requireNonNull(environment, "environment"), limit);
  }
}
