package dev.tollgate.core.deploy.service;

import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.deploy.store.LockHolder;
import java.util.Objects;
import java.util.Optional;

/**
 * What an unlock did, and the lock it found.
 *
 * @param result unlocked, not locked, or held by a running deploy (left alone without force)
 * @param before the lock as it was, if there was one
 */
public record UnlockOutcome(DeployStore.UnlockResult result, Optional<LockHolder> before) {
  /** Checks the fields. */
  public UnlockOutcome {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(before, "before");
  }
}
