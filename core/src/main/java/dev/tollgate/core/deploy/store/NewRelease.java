package dev.tollgate.core.deploy.store;

import java.util.List;
import java.util.Objects;

/**
 * A release about to start, written under the lock whose fencing token it carries.
 *
 * @param environment the environment
 * @param version the version
 * @param commitSha the commit
 * @param ref the ref asked for, or null
 * @param actor who deploys
 * @param approvers who approved
 * @param changeId the change request, or null
 * @param windowDecision the window decision, in words
 * @param overrideReason the emergency reason, or null
 * @param rollbackOf the release rolled back from, or null
 * @param runId the run holding the log, or null
 * @param fencingToken the lock's token
 */
public record NewRelease(
    String environment,
    String version,
    String commitSha,
    String ref,
    String actor,
    List<String> approvers,
    String changeId,
    String windowDecision,
    String overrideReason,
    Long rollbackOf,
    Long runId,
    long fencingToken) {
  /** Checks the required fields. */
  public NewRelease {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(commitSha, "commitSha");
    Objects.requireNonNull(actor, "actor");
    approvers = List.copyOf(approvers == null ? List.of() : approvers);
  }
}
