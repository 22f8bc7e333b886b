package dev.tollgate.core.deploy.store;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.core.deploy.Approval;
import dev.tollgate.core.deploy.ChangeRequest;
import dev.tollgate.core.deploy.ChangeStatus;
import dev.tollgate.core.deploy.ChangeType;
import dev.tollgate.core.deploy.Promotion;
import dev.tollgate.core.deploy.PromotionStatus;
import dev.tollgate.core.deploy.Risk;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Where governed deploys keep their state in PostgreSQL: the per-environment lock (lease plus
 * fencing token), releases with their artifacts, and the audit trail.
 *
 * <p>Every write a deploy makes after taking the lock presents its fencing token and is refused
 * (returns false) once the lock was taken over, so a deploy that was presumed dead cannot overwrite
 * the record of the one that replaced it. Thread-safe. The PostgreSQL implementation comes from
 * {@code dev.tollgate.core.postgres.PostgresDeployStore}.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public interface DeployStore {

  /**
   * Takes the lock for a deploy ({@code kind = "deploy"}) or a hold ({@code "hold"}), taking over a
   * deploy lock whose heartbeat and acquisition are both older than its {@code staleAfter}.
   */
  LockAttempt acquireLock(
      String environment,
      String kind,
      String holder,
      String author,
      String reason,
      Duration lease,
      Duration staleAfter);

  /** Renews a deploy lock; false when the token no longer holds it. */
  boolean renewLock(String environment, long fencingToken);

  /** Releases the lock held with this token; false when it no longer holds it. */
  boolean releaseLock(String environment, long fencingToken, String actor);

  /** Turns the deploy lock into a hold (after an automatic rollback); false when lost. */
  boolean holdLock(String environment, long fencingToken, String reason);

  /** What {@link #unlock} did. */
  enum UnlockResult {
    /** The lock is gone. */
    UNLOCKED,
    /** Nothing held the environment. */
    NOT_LOCKED,
    /** A live deploy holds it; pass {@code force} to break it (audited). */
    HELD_BY_DEPLOY
  }

  /** Removes a hold, or with {@code force} any lock. */
  UnlockResult unlock(String environment, String actor, boolean force);

  /** Returns the environment's lock, if held. */
  Optional<LockHolder> lock(String environment);

  /** Returns every held lock. */
  List<LockHolder> locks();

  /** Starts a release under the lock; empty when the token no longer holds the lock. */
  Optional<Release> startRelease(NewRelease release);

  /** Sets a release's backup reference; false when the token no longer holds the lock. */
  boolean recordBackup(long releaseId, String environment, long fencingToken, String backupRef);

  /** Records a release's artifacts; false when the token no longer holds the lock. */
  boolean recordArtifacts(
      long releaseId,
      String environment,
      long fencingToken,
      List<Release.ReleaseArtifact> artifacts);

  /** Ends a release; false when the token no longer holds the lock. */
  boolean finishRelease(
      long releaseId, String environment, long fencingToken, String status, String message);

  /** Returns a release. */
  Optional<Release> release(long id);

  /** Returns an environment's releases, newest first. */
  List<Release> releases(String environment, int limit);

  /** Appends to the audit trail. */
  void audit(String environment, String actor, String kind, String message, JsonNode data);

  /** Returns the environment's audit trail, newest first. */
  List<AuditEntry> auditLog(String environment, int limit);

  /** Records a new change request as a draft and returns it with its id. */
  ChangeRequest createChange(
      String environment,
      ChangeType type,
      Risk risk,
      String commitSha,
      String author,
      Optional<String> reason);

  /** Returns a change request with its approvals. */
  Optional<ChangeRequest> change(String id);

  /**
   * The change requests of {@code environment} (null: of every environment), newest first, at most
   * {@code limit}, each with its approvals: two queries, however many there are.
   */
  List<ChangeRequest> changes(String environment, int limit);

  /**
   * Records one approval; false when this person already voted on this commit (one vote per
   * person).
   */
  boolean addApproval(String changeId, Approval approval);

  /**
   * Moves a change request from {@code from} to {@code to} if it is still in {@code from} (the
   * model checks the transition is legal); false when someone changed it meanwhile.
   */
  boolean setChangeStatus(String changeId, ChangeStatus from, ChangeStatus to);

  /** Records a new promotion as pending. */
  Promotion createPromotion(String environment, String releaseRef, String commitSha);

  /** Returns a promotion. */
  Optional<Promotion> promotion(String id);

  /** Returns an environment's promotions (all environments when null), newest first. */
  List<Promotion> promotions(String environment, int limit);

  /**
   * Returns a promotion with the commit it ships and the release that executed it, in one query.
   */
  Optional<PromotionEntry> promotionEntry(String id);

  /**
   * Returns an environment's promotions (all environments when null), newest first, each with the
   * commit it ships and the release that executed it: one query, however many there are.
   */
  List<PromotionEntry> promotionEntries(String environment, int limit);

  /** Moves a promotion if it is still in {@code from}; false otherwise. */
  boolean setPromotionStatus(String id, PromotionStatus from, PromotionStatus to, String actor);

  /**
   * Links a promotion to the release that executed it (whose log and backup reference the promotion
   * then shows).
   */
  void linkPromotion(String id, long releaseId);

  /** Returns the release that executed a promotion, if any. */
  Optional<Release> promotionRelease(String id);

  /** Returns the commit a promotion ships. */
  Optional<String> promotionCommit(String id);
}
