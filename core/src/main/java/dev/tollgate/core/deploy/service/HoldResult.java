package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.deploy.store.LockHolder;
import java.util.Objects;
import org.apiguardian.api.API;

/** What asking to hold an environment did: it is now held, or someone else already locks it. */
@API(status = EXPERIMENTAL, since = "0.1.0")
public sealed interface HoldResult {

  /** The lock as it is now: the new hold, or whoever already had it. */
  LockHolder holder();

  /**
   * The environment is now held; every deploy is refused until it is unlocked.
   *
   * @param holder the hold
   */
  record Held(LockHolder holder) implements HoldResult {
    /** Checks the field. */
    public Held {
      Objects.requireNonNull(holder, "holder");
    }
  }

  /**
   * Someone else already locks the environment (a hold, or a running deploy); nothing changed.
   *
   * @param holder who locks it, since when and why
   */
  record AlreadyLocked(LockHolder holder) implements HoldResult {
    /** Checks the field. */
    public AlreadyLocked {
      Objects.requireNonNull(holder, "holder");
    }
  }
}
