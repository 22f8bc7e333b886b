package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.deploy.store.LockHolder;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What an unlock did, and the lock it found.
 *
 * @param result unlocked, not locked, or held by a running deploy (left alone without force)
 * @param before the lock as it was, if there was one
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record UnlockOutcome(DeployStore.UnlockResult result, Optional<LockHolder> before) {
  /** Checks the fields. */
  public UnlockOutcome {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(before, "before");
  }
}
