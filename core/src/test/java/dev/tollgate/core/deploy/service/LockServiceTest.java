package dev.tollgate.core.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.deploy.store.LockHolder;
import dev.tollgate.core.postgres.PostgresDeployStore;
import dev.tollgate.core.postgres.PostgresRunQueue;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tollgate lock}, {@code unlock}, {@code locks} and {@code releases} through the library.
 */
class LockServiceTest {
  private static Database db;
  private static DeployBackend backend;
  private static LockService locks;

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("lock_service", 2);
    backend =
        DeployBackend.of(
            PostgresDeployStore.open(db.dataSource(), db.schema()),
            PostgresRunQueue.open(db.dataSource(), db.schema()));
    locks = new LockService(backend);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void a_hold_blocks_until_unlocked_and_says_who_and_why() {
    HoldResult held = locks.hold("production", "carol", "incident 7");
    assertThat(held).isInstanceOf(HoldResult.Held.class);
    LockHolder holder = held.holder();
    assertThat(holder.isHold()).isTrue();
    assertThat(holder.holder()).isEqualTo("hold by carol");
    assertThat(holder.author()).isEqualTo("carol");
    assertThat(holder.reason()).isEqualTo("incident 7");

    HoldResult again = locks.hold("production", "dan", "me too");
    assertThat(again).isEqualTo(new HoldResult.AlreadyLocked(holder));
    assertThat(locks.locks()).extracting(LockHolder::environment).contains("production");

    UnlockOutcome unlocked = locks.unlock("production", "carol");
    assertThat(unlocked.result()).isEqualTo(DeployStore.UnlockResult.UNLOCKED);
    assertThat(unlocked.before()).contains(holder);
    UnlockOutcome none = locks.unlock("production", "carol");
    assertThat(none.result()).isEqualTo(DeployStore.UnlockResult.NOT_LOCKED);
    assertThat(none.before()).isEmpty();
  }

  @Test
  void a_running_deploys_lock_is_only_broken_by_force() {
    backend
        .store()
        .acquireLock(
            "staging",
            "deploy",
            "deploy 12",
            "erin",
            "v2",
            Duration.ofSeconds(30),
            Duration.ofMinutes(2));

    UnlockOutcome refused = locks.unlock("staging", "frank");
    assertThat(refused.result()).isEqualTo(DeployStore.UnlockResult.HELD_BY_DEPLOY);
    assertThat(refused.before().orElseThrow().holder()).isEqualTo("deploy 12");
    assertThat(locks.forceUnlock("staging", "frank").result())
        .isEqualTo(DeployStore.UnlockResult.UNLOCKED);
    assertThat(backend.store().auditLog("staging", 10)).isNotEmpty();
  }

  @Test
  void an_environment_without_releases_lists_none() {
    assertThat(locks.releases("qa", 20)).isEmpty();
  }
}
