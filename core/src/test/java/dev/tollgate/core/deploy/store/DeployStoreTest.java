package dev.tollgate.core.deploy.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresDeployStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeployStoreTest {

  private static Database db;
  private static DeployStore store;
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration STALE = Duration.ofSeconds(60);

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("deploystore", 8);
    store = PostgresDeployStore.open(db.dataSource(), db.schema());
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static LockAttempt deployLock(String env, String holder) {
    return store.acquireLock(env, "deploy", holder, "alice", "deploy v1", LEASE, STALE);
  }

  private void age(String env, String column) {
    TestDatabase.execute(
        db.dataSource(),
        "UPDATE "
            + db.schema()
            + ".deploy_locks SET "
            + column
            + " = now() - interval '1 hour' WHERE environment = '"
            + env
            + "'");
  }

  private static NewRelease release(String env, long token) {
    return new NewRelease(
        env, "v1", "abc123", "main", "alice", List.of("bob"), "7", "open", null, null, null, token);
  }

  @Test
  void a_second_deploy_is_refused_with_who_holds_the_lock_since_when_and_why() {
    assertThat(deployLock("one", "deploy-1")).isInstanceOf(LockAttempt.Acquired.class);
    LockAttempt second = deployLock("one", "deploy-2");
    assertThat(second).isInstanceOf(LockAttempt.Held.class);
    LockHolder holder = ((LockAttempt.Held) second).holder();
    assertThat(holder.holder()).isEqualTo("deploy-1");
    assertThat(holder.author()).isEqualTo("alice");
    assertThat(holder.reason()).isEqualTo("deploy v1");
    assertThat(holder.acquiredAt()).isNotNull();
  }

  @Test
  void two_racing_deploys_exactly_one_proceeds() throws Exception {
    for (int round = 0; round < 20; round++) {
      String env = "race-" + round;
      int n = 6;
      ExecutorService pool = Executors.newFixedThreadPool(n);
      CyclicBarrier start = new CyclicBarrier(n);
      List<Future<LockAttempt>> results = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        String holder = "d" + i;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return deployLock(env, holder);
                }));
      }
      int acquired = 0;
      for (Future<LockAttempt> f : results) {
        if (f.get(30, TimeUnit.SECONDS) instanceof LockAttempt.Acquired) {
          acquired++;
        }
      }
      pool.shutdown();
      assertThat(acquired).as("round %d", round).isEqualTo(1);
    }
  }

  @Test
  void a_dead_holder_is_taken_over_after_stale_after_and_its_late_writes_are_refused() {
    long oldToken = ((LockAttempt.Acquired) deployLock("stale", "crashed")).fencingToken();
    Release r = store.startRelease(release("stale", oldToken)).orElseThrow();
    age("stale", "heartbeat_at");
    age("stale", "acquired_at");

    LockAttempt takeover = deployLock("stale", "rescuer");
    assertThat(takeover).isInstanceOf(LockAttempt.Acquired.class);
    assertThat(((LockAttempt.Acquired) takeover).takenOverFrom()).contains("crashed");
    long newToken = ((LockAttempt.Acquired) takeover).fencingToken();
    assertThat(newToken).isGreaterThan(oldToken);

    assertThat(store.renewLock("stale", oldToken)).isFalse();
    assertThat(store.finishRelease(r.id(), "stale", oldToken, "deployed", "late")).isFalse();
    assertThat(store.recordBackup(r.id(), "stale", oldToken, "backup-1")).isFalse();
    assertThat(store.startRelease(release("stale", oldToken))).isEmpty();
    assertThat(store.releaseLock("stale", oldToken, "crashed")).isFalse();
    assertThat(store.release(r.id()).orElseThrow().status()).isEqualTo("in_progress");
    assertThat(store.auditLog("stale", 10))
        .extracting(AuditEntry::kind)
        .contains("lock_taken_over");
  }

  @Test
  void a_deploy_that_only_just_started_is_never_reaped() {
    deployLock("fresh", "starting");
    age("fresh", "heartbeat_at"); // no heartbeat yet, but acquired a moment ago
    assertThat(deployLock("fresh", "impatient")).isInstanceOf(LockAttempt.Held.class);
  }

  @Test
  void a_hold_never_goes_stale_and_needs_an_unlock() {
    store.acquireLock("held", "hold", "manual", "carol", "incident 42", LEASE, STALE);
    age("held", "heartbeat_at");
    age("held", "acquired_at");
    assertThat(deployLock("held", "deploy")).isInstanceOf(LockAttempt.Held.class);
    assertThat(store.unlock("held", "carol", false)).isEqualTo(DeployStore.UnlockResult.UNLOCKED);
    assertThat(deployLock("held", "deploy")).isInstanceOf(LockAttempt.Acquired.class);
  }

  @Test
  void unlocking_a_live_deploy_needs_force_and_is_audited() {
    long token = ((LockAttempt.Acquired) deployLock("live", "running")).fencingToken();
    assertThat(store.unlock("live", "dave", false))
        .isEqualTo(DeployStore.UnlockResult.HELD_BY_DEPLOY);
    assertThat(store.unlock("live", "dave", true)).isEqualTo(DeployStore.UnlockResult.UNLOCKED);
    assertThat(store.renewLock("live", token)).isFalse();
    assertThat(store.auditLog("live", 10)).extracting(AuditEntry::kind).contains("lock_broken");
    assertThat(store.unlock("live", "dave", false)).isEqualTo(DeployStore.UnlockResult.NOT_LOCKED);
  }

  @Test
  void a_release_records_backup_artifacts_and_outcome_under_its_lock() {
    long token = ((LockAttempt.Acquired) deployLock("rec", "d")).fencingToken();
    Release r = store.startRelease(release("rec", token)).orElseThrow();
    assertThat(store.recordBackup(r.id(), "rec", token, "s3://b/1")).isTrue();
    assertThat(
            store.recordArtifacts(
                r.id(),
                "rec",
                token,
                List.of(new Release.ReleaseArtifact("app.jar", "a".repeat(64), 10))))
        .isTrue();
    assertThat(store.finishRelease(r.id(), "rec", token, "deployed", null)).isTrue();
    assertThat(store.holdLock("rec", token, "rolled back: check smoke")).isTrue();
    Release done = store.releases("rec", 10).get(0);
    assertThat(done.status()).isEqualTo("deployed");
    assertThat(done.backupRef()).isEqualTo("s3://b/1");
    assertThat(done.approvers()).containsExactly("bob");
    assertThat(done.artifacts())
        .extracting(Release.ReleaseArtifact::path)
        .containsExactly("app.jar");
    assertThat(store.lock("rec").orElseThrow().isHold()).isTrue();
  }

  @Test
  void change_requests_keep_one_vote_per_person_per_commit_and_move_by_compare_and_set() {
    dev.tollgate.core.deploy.ChangeRequest cr =
        store.createChange(
            "prod",
            dev.tollgate.core.deploy.ChangeType.NORMAL,
            dev.tollgate.core.deploy.Risk.HIGH,
            "abc1234",
            "alice",
            java.util.Optional.of("new checkout"));
    assertThat(cr.status()).isEqualTo(dev.tollgate.core.deploy.ChangeStatus.DRAFT);
    var vote = new dev.tollgate.core.deploy.Approval("bob", "abc1234", java.time.Instant.now());
    assertThat(store.addApproval(cr.id(), vote)).isTrue();
    assertThat(store.addApproval(cr.id(), vote)).isFalse();
    assertThat(
            store.addApproval(
                cr.id(),
                new dev.tollgate.core.deploy.Approval("bob", "def5678", java.time.Instant.now())))
        .isTrue();
    assertThat(store.change(cr.id()).orElseThrow().approvals()).hasSize(2);
    assertThat(
            store.setChangeStatus(
                cr.id(),
                dev.tollgate.core.deploy.ChangeStatus.DRAFT,
                dev.tollgate.core.deploy.ChangeStatus.APPROVED))
        .isTrue();
    assertThat(
            store.setChangeStatus(
                cr.id(),
                dev.tollgate.core.deploy.ChangeStatus.DRAFT,
                dev.tollgate.core.deploy.ChangeStatus.CANCELLED))
        .isFalse();
    assertThat(store.change("999999")).isEmpty();
  }

  @Test
  void promotions_move_by_compare_and_set() {
    var p = store.createPromotion("prod", "v2", "abc1234");
    assertThat(p.status()).isEqualTo(dev.tollgate.core.deploy.PromotionStatus.PENDING);
    assertThat(
            store.setPromotionStatus(
                p.id(),
                dev.tollgate.core.deploy.PromotionStatus.PENDING,
                dev.tollgate.core.deploy.PromotionStatus.APPROVED,
                "carol"))
        .isTrue();
    assertThat(
            store.setPromotionStatus(
                p.id(),
                dev.tollgate.core.deploy.PromotionStatus.PENDING,
                dev.tollgate.core.deploy.PromotionStatus.APPROVED,
                "carol"))
        .isFalse();
    assertThat(store.promotions("prod", 10))
        .extracting(dev.tollgate.core.deploy.Promotion::id)
        .contains(p.id());
    assertThat(store.promotionCommit(p.id())).contains("abc1234");
  }
}
