package dev.tollgate.core.deploy.store;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Instant;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The record a deploy leaves: what shipped where, who approved it, which window decision let it
 * through, how it ended and how to go back.
 *
 * @param id the release number
 * @param environment the environment
 * @param version the version shipped (a tag, or the short commit)
 * @param commitSha the commit shipped
 * @param ref the ref asked for, or null
 * @param actor who deployed
 * @param approvers who approved the change, if any
 * @param changeId the change request, or null
 * @param windowDecision why the window allowed it (or the override)
 * @param overrideReason the emergency reason, or null
 * @param status in_progress, deployed, rolled_back, failed_rollback, failed or cancelled
 * @param backupRef the backup reference the backup step produced, or null
 * @param rollbackOf for a rollback, the release it rolled back from, else null
 * @param runId the run whose events are this release's log, or null
 * @param message how it ended, or null
 * @param artifacts the recorded artifacts with their SHA-256
 * @param startedAt when it started
 * @param finishedAt when it ended, or null
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record Release(
    long id,
    String environment,
    String version,
    String commitSha,
    String ref,
    String actor,
    List<String> approvers,
    String changeId,
    String windowDecision,
    String overrideReason,
    String status,
    String backupRef,
    Long rollbackOf,
    Long runId,
    String message,
    List<ReleaseArtifact> artifacts,
    Instant startedAt,
    Instant finishedAt) {

  /** One recorded artifact: its path, SHA-256 and size. */
  public record ReleaseArtifact(String path, String sha256, long size) {}
}
