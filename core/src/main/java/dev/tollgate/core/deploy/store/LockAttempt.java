package dev.tollgate.core.deploy.store;

import java.util.Optional;

/** The result of trying to take an environment's lock. */
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
