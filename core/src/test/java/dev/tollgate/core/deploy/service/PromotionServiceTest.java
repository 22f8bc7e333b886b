package dev.tollgate.core.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.deploy.Promotion;
import dev.tollgate.core.deploy.PromotionStatus;
import dev.tollgate.core.deploy.engine.DeployResult;
import dev.tollgate.core.deploy.store.CountingDataSource;
import dev.tollgate.core.deploy.store.PromotionEntry;
import dev.tollgate.core.deploy.store.Release;
import dev.tollgate.core.postgres.PostgresDeployStore;
import dev.tollgate.core.postgres.PostgresRunQueue;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tollgate promotions} done through the library, as the control plane's "Deploy now" does
 * it; a list costs one statement, counted on a recording data source.
 */
class PromotionServiceTest {
  private static Database db;
  private static CountingDataSource counting;
  private static DeployBackend backend;
  private static int envs;
  @TempDir Path dir;
  private PromotionService promotions;
  private String env;
  private String sha;
  private final List<String> said = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("promotion_service", 4);
    counting = new CountingDataSource(db.dataSource());
    backend =
        DeployBackend.of(
            PostgresDeployStore.open(counting.dataSource(), db.schema()),
            PostgresRunQueue.open(counting.dataSource(), db.schema()));
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @BeforeEach
  void project() throws Exception {
    env = "promo" + (++envs);
    TestProject project = new TestProject(dir);
    project.spec(env, "deploy:\n  shell: 'printf %s \"$TOLLGATE_PARAM_COMMIT\" > live.txt'\n");
    project.spec(env + "-gated", "change:\n  required: true\ndeploy:\n  shell: 'true'\n");
    project.spec(env + "-broken", "deploy:\n  shell: 'exit 4'\n");
    sha = project.commit("init");
    project.tag("v1.0.0");
    DeployProject at = DeployProject.at(dir);
    DeployService deploys =
        DeployService.builder(at, backend)
            .clock(Clock.systemUTC())
            .environment(Map.of("PATH", System.getenv("PATH")))
            .build();
    promotions = new PromotionService(at, backend, deploys);
  }

  private DeployResult deployNow(String id, String actor) {
    return promotions
        .prepareDeploy(new PromotionDeploy(id, actor, Optional.empty()), said::add)
        .run();
  }

  @Test
  void a_promotion_goes_pending_approved_deployed_and_shows_the_release_that_executed_it() {
    Promotion p = promotions.create(env, Optional.empty(), "carol");
    assertThat(p.status()).isEqualTo(PromotionStatus.PENDING);
    assertThat(p.releaseRef()).isEqualTo("v1.0.0");
    assertThatThrownBy(() -> deployNow(p.id(), "dave"))
        .isInstanceOf(TollgateException.class)
        .hasMessageContaining("cannot go from pending to executing");

    assertThat(promotions.approve(p.id(), "dave").status()).isEqualTo(PromotionStatus.APPROVED);
    DeployResult result = deployNow(p.id(), "dave");

    assertThat(result.outcome()).as(result.message()).isEqualTo(DeployResult.Outcome.DEPLOYED);
    PromotionEntry entry = promotions.list(Optional.of(env), 100).get(0);
    assertThat(entry.promotion().status()).isEqualTo(PromotionStatus.DEPLOYED);
    assertThat(entry.commitSha()).isEqualTo(sha);
    Release release = entry.release().orElseThrow();
    assertThat(release).isEqualTo(result.release().orElseThrow());
    assertThat(release.runId()).isNotNull();
    assertThat(release.actor()).isEqualTo("dave");
    assertThatThrownBy(() -> promotions.approve(p.id(), "dave"))
        .isInstanceOf(TollgateException.class)
        .hasMessageContaining("cannot go from deployed to approved");
  }

  @Test
  void a_promotion_names_who_proposed_it_in_the_audit_trail() {
    Promotion p = promotions.create(env, Optional.empty(), "erin");

    assertThat(backend.store().auditLog(env, 10))
        .filteredOn(a -> a.kind().equals("promotion-created"))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.actor()).isEqualTo("erin");
              assertThat(a.message())
                  .isEqualTo("proposed promotion " + p.id() + ": v1.0.0 to " + env);
              assertThat(a.data().path("commit").asText()).isEqualTo(sha);
            });
  }

  @Test
  void listing_promotions_costs_one_statement_however_many_there_are() {
    for (int i = 0; i < 3; i++) {
      Promotion p = promotions.create(env, Optional.empty(), "carol");
      promotions.approve(p.id(), "dave");
      deployNow(p.id(), "dave");
    }
    promotions.create(env, Optional.of("v1.0.0"), "carol");

    counting.reset();
    List<PromotionEntry> all = promotions.list(Optional.of(env), 100);

    assertThat(counting.executed()).hasSize(1);
    assertThat(all).hasSize(4);
    // The first deploy recorded the release; the next two found its commit there already.
    assertThat(all)
        .filteredOn(e -> e.release().isPresent())
        .extracting(e -> e.release().orElseThrow().id())
        .hasSize(3)
        .containsOnly(all.get(1).release().orElseThrow().id());
    counting.reset();
    promotions.list(Optional.empty(), 100);
    assertThat(counting.executed()).hasSize(1);
  }

  @Test
  void a_promotion_of_a_commit_already_deployed_there_ends_deployed_with_the_release_that_did_it() {
    Promotion first = promotions.create(env, Optional.empty(), "carol");
    promotions.approve(first.id(), "dave");
    Release release = deployNow(first.id(), "dave").release().orElseThrow();
    Promotion again = promotions.create(env, Optional.of("v1.0.0"), "erin");
    promotions.approve(again.id(), "dave");

    DeployResult result = deployNow(again.id(), "frank");

    assertThat(result.outcome()).isEqualTo(DeployResult.Outcome.DEPLOYED);
    assertThat(result.message()).contains("is already deployed to " + env);
    PromotionEntry entry = promotions.list(Optional.of(env), 1).get(0);
    assertThat(entry.promotion().id()).isEqualTo(again.id());
    assertThat(entry.promotion().status()).isEqualTo(PromotionStatus.DEPLOYED);
    assertThat(entry.release()).contains(release);
    // Nothing ran: no second release, and the first still says who deployed it.
    assertThat(backend.store().releases(env, 10)).containsExactly(release);
    assertThat(release.actor()).isEqualTo("dave");
  }

  @Test
  void a_promotion_a_gate_blocks_stays_approved_for_another_try() {
    Promotion p = promotions.create(env + "-gated", Optional.empty(), "carol");
    promotions.approve(p.id(), "dave");

    DeployResult result = deployNow(p.id(), "dave");

    assertThat(result.outcome()).isEqualTo(DeployResult.Outcome.BLOCKED);
    PromotionEntry entry = promotions.list(Optional.of(env + "-gated"), 1).get(0);
    assertThat(entry.promotion().status()).isEqualTo(PromotionStatus.APPROVED);
    assertThat(entry.release()).isEmpty();
  }

  @Test
  void a_promotion_ends_rolled_back_only_when_its_deploy_was_undone() {
    assertThat(PromotionService.ended(DeployResult.Outcome.DEPLOYED))
        .isEqualTo(PromotionStatus.DEPLOYED);
    assertThat(PromotionService.ended(DeployResult.Outcome.ROLLED_BACK))
        .isEqualTo(PromotionStatus.ROLLED_BACK);
    assertThat(PromotionService.ended(DeployResult.Outcome.CANCELLED))
        .isEqualTo(PromotionStatus.ROLLED_BACK);
    assertThat(PromotionService.ended(DeployResult.Outcome.FAILED_ROLLBACK))
        .isEqualTo(PromotionStatus.FAILED);
    assertThat(PromotionService.ended(DeployResult.Outcome.FAILED))
        .isEqualTo(PromotionStatus.FAILED);
  }

  @Test
  void a_promotion_whose_rollback_fails_ends_failed_not_rolled_back_linked_to_its_release() {
    Promotion p = promotions.create(env + "-broken", Optional.empty(), "carol");
    promotions.approve(p.id(), "dave");

    DeployResult result = deployNow(p.id(), "dave");

    assertThat(result.outcome()).isEqualTo(DeployResult.Outcome.FAILED_ROLLBACK);
    PromotionEntry entry = promotions.list(Optional.of(env + "-broken"), 1).get(0);
    assertThat(entry.promotion().status()).isEqualTo(PromotionStatus.FAILED);
    assertThat(entry.release().orElseThrow().status()).isEqualTo("failed_rollback");
  }

  @Test
  void a_deploy_refused_for_an_unknown_change_request_leaves_the_promotion_approved() {
    Promotion p = promotions.create(env, Optional.empty(), "carol");
    promotions.approve(p.id(), "dave");

    assertThatThrownBy(
            () ->
                promotions.prepareDeploy(
                    new PromotionDeploy(p.id(), "dave", Optional.of("424242")), said::add))
        .isInstanceOfSatisfying(
            DeployInputException.class,
            e ->
                assertThat(e.problem())
                    .isEqualTo(new DeployInputException.UnknownChange("424242")));

    assertThat(promotions.list(Optional.of(env), 1).get(0).promotion().status())
        .isEqualTo(PromotionStatus.APPROVED);
    assertThat(deployNow(p.id(), "dave").outcome()).isEqualTo(DeployResult.Outcome.DEPLOYED);
  }

  @Test
  void an_unknown_promotion_is_bad_input() {
    assertThatThrownBy(() -> promotions.approve("424242", "dave"))
        .isInstanceOf(TollgateException.class)
        .hasMessage("promotion 424242: no such id");
    assertThatThrownBy(() -> deployNow("424242", "dave"))
        .isInstanceOf(TollgateException.class)
        .hasMessage("promotion 424242: no such id");
  }
}
