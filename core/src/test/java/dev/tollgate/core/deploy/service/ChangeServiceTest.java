package dev.tollgate.core.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.deploy.ChangeCheck;
import dev.tollgate.core.deploy.ChangeStatus;
import dev.tollgate.core.deploy.ChangeType;
import dev.tollgate.core.deploy.Risk;
import dev.tollgate.core.postgres.PostgresDeployStore;
import dev.tollgate.core.postgres.PostgresRunQueue;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate changes} done through the library, without the runner. */
class ChangeServiceTest {
  private static Database db;
  private static DeployBackend backend;
  @TempDir Path dir;
  private ChangeService changes;
  private String head;
  private String tagged;

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("change_service", 2);
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
    TestProject project = new TestProject(dir);
    project.spec(
        "production",
        "change:\n  types:\n    normal: {approvals: 2}\n    emergency: {approvals: 1,"
            + " reason_required: true}\ndeploy:\n  shell: 'true'\n");
    tagged = project.commit("one");
    project.tag("v1");
    head = project.file("two.txt", "2").commit("two");
    changes = new ChangeService(DeployProject.at(dir), backend, Clock.systemUTC());
  }

  @Test
  void a_change_request_is_opened_as_a_draft_for_the_commit_its_ref_names() {
    ChangeReview atHead = changes.create(NewChange.builder("production", "alice").build());
    assertThat(atHead.request().commitSha()).isEqualTo(head);
    assertThat(atHead.request().status()).isEqualTo(ChangeStatus.DRAFT);
    assertThat(atHead.approvalsNeeded()).isEqualTo(2);
    assertThat(atHead.tally().counted()).isEmpty();

    ChangeReview atTag =
        changes.create(
            NewChange.builder("production", "alice")
                .ref("v1")
                .type(ChangeType.EMERGENCY)
                .risk(Risk.HIGH)
                .reason("payments down")
                .build());
    assertThat(atTag.request().commitSha()).isEqualTo(tagged);
    assertThat(atTag.request().reason()).contains("payments down");
    assertThat(atTag.approvalsNeeded()).isEqualTo(1);
    assertThat(changes.show(atTag.request().id())).isEqualTo(atTag);
  }

  @Test
  void an_emergency_without_a_reason_and_an_unknown_ref_are_refused() {
    assertThatThrownBy(
            () -> NewChange.builder("production", "alice").type(ChangeType.EMERGENCY).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an emergency change request needs a reason");
    assertThatThrownBy(
            () -> changes.create(NewChange.builder("production", "alice").ref("v9").build()))
        .isInstanceOfSatisfying(
            DeployInputException.class,
            e -> assertThat(e.problem()).isEqualTo(new DeployInputException.UnknownRef("v9", dir)));
  }

  @Test
  void the_author_and_a_second_vote_do_not_count_and_enough_counted_votes_approve_it() {
    String id = changes.create(NewChange.builder("production", "alice").build()).request().id();

    ApprovalOutcome self = changes.approve(id, "alice");
    assertThat(self.recorded()).isTrue();
    assertThat(self.counted()).isFalse();
    assertThat(self.review().tally().ignored())
        .extracting(ChangeCheck.Ignored::why)
        .containsExactly("alice wrote the request and cannot approve it");

    assertThat(changes.approve(id, "bob").counted()).isTrue();
    ApprovalOutcome twice = changes.approve(id, "Bob");
    assertThat(twice.recorded()).isFalse();
    assertThat(twice.counted()).isFalse();
    assertThat(twice.review().request().status()).isEqualTo(ChangeStatus.DRAFT);

    ApprovalOutcome carol = changes.approve(id, "carol");
    assertThat(carol.counted()).isTrue();
    assertThat(carol.review().request().status()).isEqualTo(ChangeStatus.APPROVED);
    assertThat(carol.review().tally().counted()).containsExactly("bob", "carol");
  }

  @Test
  void a_rejected_request_is_final_and_takes_no_more_votes() {
    String id = changes.create(NewChange.builder("production", "alice").build()).request().id();

    assertThat(changes.reject(id).status()).isEqualTo(ChangeStatus.REJECTED);
    assertThat(changes.find(id).orElseThrow().status()).isEqualTo(ChangeStatus.REJECTED);
    assertThatThrownBy(() -> changes.reject(id))
        .isInstanceOf(TollgateException.class)
        .hasMessageContaining("cannot go from rejected to rejected");
    assertThatThrownBy(() -> changes.approve(id, "bob"))
        .isInstanceOf(TollgateException.class)
        .hasMessageContaining("cannot record an approval by bob on change request " + id);
  }

  @Test
  void an_unknown_id_is_bad_input() {
    assertThat(changes.find("424242")).isEmpty();
    assertThatThrownBy(() -> changes.show("424242"))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT);
              assertThat(e.getMessage()).isEqualTo("change request 424242: no such id");
            });
  }
}
