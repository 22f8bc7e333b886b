package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * The deploy lock settings of an environment: how long one acquisition lasts without renewal and
 * after how long without a heartbeat a holder counts as dead. The engine enforces the lock for
 * every deploy, emergencies included.
 *
 * @param lease how long a holder keeps the lock before it must renew it
 * @param staleAfter how long after its last heartbeat a holder may be declared dead and its lock
 *     reclaimed
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record LockSpec(Duration lease, Duration staleAfter) {
  /** The default {@link #lease}: 30 minutes. */
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(30);

  /** The default {@link #staleAfter}: 2 minutes. */
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(2);

  /** The lock settings used when a spec has no {@code lock:} section. */
  public static final LockSpec DEFAULT = new LockSpec(DEFAULT_LEASE, DEFAULT_STALE_AFTER);

  /** Checks that both durations are positive. */
  public LockSpec {
    Specs.positive(lease, "lock.lease");
    Specs.positive(staleAfter, "lock.stale_after");
  }
}
