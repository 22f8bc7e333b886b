package dev.tollgate.core.deploy.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.deploy.Promotion;
import dev.tollgate.core.postgres.PostgresDeployStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lists of promotions and releases cost one SQL statement however long they are: counted on a data
 * source that records what is executed.
 */
class PromotionEntriesTest {
  private static Database db;
  private static CountingDataSource counting;
  private static DeployStore store;
  private static int envs;
  private String env;

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("promotion_entries", 2);
    counting = new CountingDataSource(db.dataSource());
    store = PostgresDeployStore.open(counting.dataSource(), db.schema());
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @BeforeEach
  void environment() {
    env = "entries-" + (++envs);
  }

  /** Promotes {@code ref} and executes the promotion with a release that records artifacts. */
  private Release executed(String ref, String backup) {
    Promotion p = store.createPromotion(env, ref, "abc1234");
    long token =
        ((LockAttempt.Acquired)
                store.acquireLock(
                    env,
                    "deploy",
                    "deploy " + ref,
                    "alice",
                    "deploy " + ref,
                    Duration.ofMinutes(1),
                    Duration.ofMinutes(1)))
            .fencingToken();
    Release r =
        store
            .startRelease(
                NewRelease.builder(env, ref, "abc1234", "alice", token)
                    .approvers(List.of("bob"))
                    .windowDecision("open")
                    .build())
            .orElseThrow();
    store.recordBackup(r.id(), env, token, backup);
    store.recordArtifacts(
        r.id(),
        env,
        token,
        List.of(
            new Release.ReleaseArtifact("dist/b.jar", "b".repeat(64), 2),
            new Release.ReleaseArtifact("dist/a.jar", "a".repeat(64), 1)));
    store.finishRelease(r.id(), env, token, "deployed", "deployed " + ref);
    store.releaseLock(env, token, "alice");
    store.linkPromotion(p.id(), r.id());
    return store.release(r.id()).orElseThrow();
  }

  @Test
  void listing_promotions_with_their_releases_is_one_statement_however_many_there_are() {
    Release first = executed("v1", "backup-1");
    store.createPromotion(env, "v2", "def5678");
    Release third = executed("v3", "backup-3");

    counting.reset();
    List<PromotionEntry> three = store.promotionEntries(env, 100);
    assertThat(counting.executed()).hasSize(1);

    assertThat(three).extracting(e -> e.promotion().releaseRef()).containsExactly("v3", "v2", "v1");
    assertThat(three.get(0).release()).contains(third);
    assertThat(three.get(1).release()).isEmpty();
    assertThat(three.get(1).commitSha()).isEqualTo("def5678");
    assertThat(three.get(2).release()).contains(first);
    assertThat(first.backupRef()).isEqualTo("backup-1");
    assertThat(first.artifacts())
        .extracting(Release.ReleaseArtifact::path)
        .containsExactly("dist/a.jar", "dist/b.jar");

    for (int i = 0; i < 10; i++) {
      executed("v" + (10 + i), "backup");
    }
    counting.reset();
    assertThat(store.promotionEntries(env, 100)).hasSize(13);
    assertThat(store.promotionEntries(null, 5)).hasSize(5);
    assertThat(counting.executed()).hasSize(2);
  }

  @Test
  void one_promotion_with_its_commit_and_release_is_one_statement() {
    Release r = executed("v1", "backup-1");
    String id = store.promotionEntries(env, 1).get(0).promotion().id();

    counting.reset();
    Optional<PromotionEntry> entry = store.promotionEntry(id);
    assertThat(counting.executed()).hasSize(1);
    assertThat(entry.orElseThrow().release()).contains(r);
    assertThat(entry.get().commitSha()).isEqualTo("abc1234");
    assertThat(store.promotionRelease(id)).contains(r);
    assertThat(store.promotionCommit(id)).contains("abc1234");
    assertThat(store.promotionEntry("no-such-id")).isEmpty();
  }

  @Test
  void listing_releases_with_their_artifacts_is_one_statement() {
    for (int i = 0; i < 4; i++) {
      executed("v" + i, "backup-" + i);
    }
    counting.reset();
    List<Release> releases = store.releases(env, 100);
    assertThat(counting.executed()).hasSize(1);
    assertThat(releases).hasSize(4);
    assertThat(releases)
        .allSatisfy(
            r ->
                assertThat(r.artifacts())
                    .containsExactly(
                        new Release.ReleaseArtifact("dist/a.jar", "a".repeat(64), 1),
                        new Release.ReleaseArtifact("dist/b.jar", "b".repeat(64), 2)));
  }
}
