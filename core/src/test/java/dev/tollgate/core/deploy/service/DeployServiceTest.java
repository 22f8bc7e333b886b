package dev.tollgate.core.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.deploy.ChangeRequest;
import dev.tollgate.core.deploy.ChangeStatus;
import dev.tollgate.core.deploy.ChangeType;
import dev.tollgate.core.deploy.engine.DeployResult;
import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.deploy.store.Release;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.postgres.PostgresDeployStore;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.RunQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate deploy} and {@code rollback} done through the library, without the runner. */
class DeployServiceTest {
  private static Database db;
  private static DeployBackend backend;
  private static int envs;
  @TempDir Path dir;
  private TestProject project;
  private String env;
  private final List<String> said = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("deploy_service", 4);
    backend =
        DeployBackend.of(
            PostgresDeployStore.open(db.dataSource(), db.schema()),
            PostgresRunQueue.open(db.dataSource(), db.schema()));
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @BeforeEach
  void project() throws Exception {
    project = new TestProject(dir);
    env = "svc" + (++envs);
  }

  private DeployService service() {
    return DeployService.builder(DeployProject.at(dir), backend)
        .clock(Clock.systemUTC())
        .environment(Map.of("PATH", System.getenv("PATH")))
        .build();
  }

  private DeployResult deploy(DeployOrder order) {
    return service().prepare(order, said::add).run();
  }

  @Test
  void a_deploy_ships_the_tagged_commit_and_records_the_release() throws Exception {
    project.spec(env, "deploy:\n  shell: 'printf %s \"$TOLLGATE_PARAM_VERSION\" > shipped.txt'\n");
    String sha = project.commit("init");
    project.tag("v1.0.0");

    Deployment deployment = service().prepare(DeployOrder.builder(env, "alice").build(), said::add);
    assertThat(deployment.request().commitSha()).isEqualTo(sha);
    assertThat(deployment.request().version()).isEqualTo("v1.0.0");
    assertThat(deployment.gates()).allMatch(g -> g instanceof GateResult.Pass);
    DeployResult result = deployment.run();

    assertThat(result.outcome()).as(result.message()).isEqualTo(DeployResult.Outcome.DEPLOYED);
    assertThat(Files.readString(dir.resolve("shipped.txt"))).isEqualTo("v1.0.0");
    Release release = result.release().orElseThrow();
    assertThat(release.commitSha()).isEqualTo(sha);
    assertThat(release.actor()).isEqualTo("alice");
    assertThat(said).contains("deployed v1.0.0 to " + env);
    assertThatThrownBy(deployment::run).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void a_dry_run_evaluates_the_gates_and_returns_the_plan_without_changing_anything()
      throws Exception {
    project.spec(env, "deploy:\n  shell: 'touch shipped.txt'\n");
    project.commit("init");

    DeployResult result = deploy(DeployOrder.builder(env, "alice").dryRun(true).build());

    assertThat(result.outcome()).isEqualTo(DeployResult.Outcome.WOULD_PROCEED);
    assertThat(result.plan()).anyMatch(step -> step.contains("touch shipped.txt"));
    assertThat(dir.resolve("shipped.txt")).doesNotExist();
    assertThat(backend.store().releases(env, 10)).isEmpty();
  }

  @Test
  void a_deploy_under_an_approved_change_records_its_approvers_and_completes_the_change()
      throws Exception {
    project.spec(
        env,
        "change:\n  required: true\n  types:\n    normal: {approvals: 1}\n"
            + "deploy:\n  shell: 'true'\n");
    String sha = project.commit("init");
    ChangeService changes = new ChangeService(DeployProject.at(dir), backend, Clock.systemUTC());

    DeployResult blocked = deploy(DeployOrder.builder(env, "carol").build());
    assertThat(blocked.outcome()).isEqualTo(DeployResult.Outcome.BLOCKED);

    String id = changes.create(NewChange.builder(env, "alice").build()).request().id();
    changes.approve(id, "bob");
    DeployResult result = deploy(DeployOrder.builder(env, "carol").changeId(id).build());

    assertThat(result.outcome()).as(result.message()).isEqualTo(DeployResult.Outcome.DEPLOYED);
    assertThat(result.release().orElseThrow().approvers()).containsExactly("bob");
    assertThat(result.release().get().changeId()).isEqualTo(id);
    ChangeRequest after = changes.find(id).orElseThrow();
    assertThat(after.status()).isEqualTo(ChangeStatus.COMPLETED);
    assertThat(after.commitSha()).isEqualTo(sha);
    assertThat(after.type()).isEqualTo(ChangeType.NORMAL);
  }

  @Test
  void a_ref_or_a_change_request_that_does_not_exist_is_an_input_problem_naming_it()
      throws Exception {
    project.spec(env, "deploy:\n  shell: 'true'\n");
    project.commit("init");

    assertThatThrownBy(() -> deploy(DeployOrder.builder(env, "alice").ref("nope").build()))
        .isInstanceOfSatisfying(
            DeployInputException.class,
            e ->
                assertThat(e.problem())
                    .isEqualTo(new DeployInputException.UnknownRef("nope", dir)));
    assertThatThrownBy(() -> deploy(DeployOrder.builder(env, "alice").changeId("424242").build()))
        .isInstanceOfSatisfying(
            DeployInputException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(new DeployInputException.UnknownChange("424242"));
              assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT);
              assertThat(e.getMessage()).isEqualTo("no change request has the id 424242");
            });
  }

  @Test
  void an_order_the_project_refuses_never_touches_the_database() throws Exception {
    project.spec(env, "deploy:\n  shell: 'true'\n");
    project.commit("init");
    DeployBackend untouchable =
        new DeployBackend() {
          @Override
          public DeployStore store() {
            throw new AssertionError("the database was asked for");
          }

          @Override
          public RunQueue queue() {
            throw new AssertionError("the database was asked for");
          }
        };
    DeployService service = DeployService.builder(DeployProject.at(dir), untouchable).build();

    assertThatThrownBy(
            () -> service.prepare(DeployOrder.builder("unknown-env", "alice").build(), said::add))
        .isInstanceOf(TollgateException.class)
        .hasMessageContaining("unknown environment 'unknown-env'");
    assertThatThrownBy(
            () -> service.prepare(DeployOrder.builder(env, "alice").ref("nope").build(), said::add))
        .isInstanceOf(DeployInputException.class);
    assertThatThrownBy(
            () -> service.prepareRollback(RollbackOrder.builder(env, "alice").build(), said::add))
        .isInstanceOfSatisfying(
            DeployInputException.class,
            e ->
                assertThat(e.problem())
                    .isEqualTo(
                        new DeployInputException.NoRollbackStep(
                            env, ".tollgate/deploy/" + env + ".yml")));
  }

  @Test
  void a_rollback_goes_back_to_the_deployed_release_before_the_latest_with_its_backup()
      throws Exception {
    project.spec(
        env,
        "backup:\n  shell: 'echo backup-of-$TOLLGATE_PARAM_VERSION'\n"
            + "deploy:\n  shell: 'printf %s \"$TOLLGATE_PARAM_VERSION\" > live.txt'\n"
            + "rollback:\n  shell: 'printf %s \"$TOLLGATE_PARAM_BACKUP_REF\" > restored.txt'\n");
    project.commit("one");
    project.tag("v1");
    Release first = deploy(DeployOrder.builder(env, "alice").build()).release().orElseThrow();
    assertThatThrownBy(
            () -> service().prepareRollback(RollbackOrder.builder(env, "ops").build(), said::add))
        .isInstanceOfSatisfying(
            DeployInputException.class,
            e -> assertThat(e.problem()).isEqualTo(new DeployInputException.NoEarlierRelease(env)));
    project.file("two.txt", "2").commit("two");
    project.tag("v2");
    deploy(DeployOrder.builder(env, "alice").build());

    Deployment rollback =
        service().prepareRollback(RollbackOrder.builder(env, "ops").build(), said::add);
    assertThat(rollback.request().emergency()).isTrue();
    assertThat(rollback.request().reason()).contains("rollback to release " + first.id());
    DeployResult result = rollback.run();

    assertThat(result.outcome()).as(result.message()).isEqualTo(DeployResult.Outcome.DEPLOYED);
    assertThat(Files.readString(dir.resolve("restored.txt"))).isEqualTo(first.backupRef());
    assertThat(first.backupRef()).isEqualTo("backup-of-v1");
    assertThat(result.release().orElseThrow().version()).isEqualTo("v1");
    assertThat(result.release().get().actor()).isEqualTo("ops");
  }

  @Test
  void a_rollback_dry_run_says_which_backup_the_declared_rollback_step_restores() throws Exception {
    project.spec(
        env,
        "backup:\n  shell: 'echo backup-of-$TOLLGATE_PARAM_VERSION'\n"
            + "deploy:\n  shell: 'true'\n"
            + "rollback:\n  shell: 'true'\n");
    project.commit("one");
    project.tag("v1");
    Release first = deploy(DeployOrder.builder(env, "alice").build()).release().orElseThrow();
    project.file("two.txt", "2").commit("two");
    project.tag("v2");
    deploy(DeployOrder.builder(env, "alice").build());

    DeployResult plan =
        service()
            .prepareRollback(RollbackOrder.builder(env, "ops").dryRun(true).build(), said::add)
            .run();

    assertThat(plan.outcome()).isEqualTo(DeployResult.Outcome.WOULD_PROCEED);
    assertThat(plan.gates())
        .filteredOn(g -> g.gate().equals("deploy-backup"))
        .singleElement()
        .satisfies(
            g ->
                assertThat(g.reason())
                    .isEqualTo(
                        "the rollback step restores release "
                            + first.id()
                            + " from its backup backup-of-v1 (TOLLGATE_PARAM_BACKUP_REF)"));
  }

  @Test
  void a_rollback_to_a_release_that_does_not_exist_or_is_of_another_environment_is_refused()
      throws Exception {
    project.spec(env, "deploy:\n  shell: 'true'\nrollback:\n  shell: 'true'\n");
    project.spec(env + "-other", "deploy:\n  shell: 'true'\n");
    project.commit("init");
    Release other =
        deploy(DeployOrder.builder(env + "-other", "alice").build()).release().orElseThrow();

    assertThatThrownBy(
            () ->
                service()
                    .prepareRollback(
                        RollbackOrder.builder(env, "ops").to(other.id()).build(), said::add))
        .isInstanceOfSatisfying(
            DeployInputException.class,
            e ->
                assertThat(e.problem())
                    .isEqualTo(
                        new DeployInputException.ReleaseOfAnotherEnvironment(
                            other.id(), env + "-other", env)));
    assertThatThrownBy(
            () ->
                service()
                    .prepareRollback(
                        RollbackOrder.builder(env, "ops").to(999_999L).build(), said::add))
        .isInstanceOfSatisfying(
            DeployInputException.class,
            e ->
                assertThat(e.problem())
                    .isEqualTo(new DeployInputException.UnknownRelease(999_999L)));
  }

  @Test
  void approvals_are_stamped_by_the_injected_clock() throws Exception {
    project.spec(env, "deploy:\n  shell: 'true'\n");
    project.commit("init");
    Instant at = Instant.parse("2030-01-02T03:04:05Z");
    ChangeService changes =
        new ChangeService(DeployProject.at(dir), backend, Clock.fixed(at, ZoneOffset.UTC));
    String id = changes.create(NewChange.builder(env, "alice").build()).request().id();

    ApprovalOutcome vote = changes.approve(id, "bob");

    assertThat(vote.review().request().approvals()).hasSize(1);
    assertThat(vote.review().request().approvals().get(0).at()).isEqualTo(at);
    assertThat(vote.recorded()).isTrue();
    assertThat(vote.counted()).isTrue();
  }
}
