package dev.tollgate.core.deploy.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What an operator asks for: ship this commit to this environment.
 *
 * @param environment the environment
 * @param commitSha the commit to ship
 * @param version the version shown in the release (a tag, or the short commit)
 * @param ref the ref asked for, or empty
 * @param actor who deploys
 * @param changeId the change request, or empty
 * @param emergency whether this is a declared emergency (needs {@code reason}; bypasses windows,
 *     never the lock)
 * @param reason the emergency reason, or empty
 * @param dryRun evaluate the gates and print the plan, change nothing
 * @param waitForLock how long to wait for a held lock (zero: refuse at once)
 */
public record DeployRequest(
    String environment,
    String commitSha,
    String version,
    Optional<String> ref,
    String actor,
    Optional<Long> changeId,
    boolean emergency,
    Optional<String> reason,
    boolean dryRun,
    Duration waitForLock) {

  /** Checks the fields. */
  public DeployRequest {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(commitSha, "commitSha");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(changeId, "changeId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(waitForLock, "waitForLock");
    if (waitForLock.isNegative()) {
      throw new IllegalArgumentException("waitForLock must not be negative");
    }
  }
}
