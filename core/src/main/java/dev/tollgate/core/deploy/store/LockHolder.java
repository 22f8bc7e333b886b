package dev.tollgate.core.deploy.store;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Instant;
import org.apiguardian.api.API;

/**
 * Who holds an environment's deploy lock, since when and why.
 *
 * @param environment the environment
 * @param kind {@code deploy} (a running deploy, renewed by heartbeat, taken over when stale) or
 *     {@code hold} (a manual hold, or the hold an automatic rollback leaves; never stale)
 * @param holder the deploy or person holding it
 * @param author who took it
 * @param reason why
 * @param fencingToken the token every write of the holder is checked against
 * @param acquiredAt when it was taken (database clock)
 * @param heartbeatAt the holder's last renewal (database clock)
 * @param stale whether it is a deploy lock whose holder stopped renewing it for longer than its
 *     {@code stale_after} (by the database clock): the next deploy takes it over
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record LockHolder(
    String environment,
    String kind,
    String holder,
    String author,
    String reason,
    long fencingToken,
    Instant acquiredAt,
    Instant heartbeatAt,
    boolean stale) {

  /** Returns whether this is a hold (manual, or after a rollback) rather than a running deploy. */
  public boolean isHold() {
    return "hold".equals(kind);
  }
}
