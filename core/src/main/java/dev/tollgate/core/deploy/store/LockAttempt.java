package dev.tollgate.core.deploy.store;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Optional;
import org.apiguardian.api.API;

/** The result of trying to take an environment's lock. */
@API(status = EXPERIMENTAL, since = "0.1.0")
public sealed interface LockAttempt {

  /**
   * The lock is ours.
   *
   * @param fencingToken the token every later write must present
   * @param takenOverFrom the holder whose stale lock was taken over, if any
   */
  record Acquired(long fencingToken, Optional<String> takenOverFrom) implements LockAttempt {}

  /** Someone else holds it. */
  record Held(LockHolder holder) implements LockAttempt {}
}
