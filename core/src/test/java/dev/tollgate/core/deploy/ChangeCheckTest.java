package dev.tollgate.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.gate.GateResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChangeCheckTest {
  static final String A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  static final String B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  static final Instant T = Instant.parse("2026-06-10T10:00:00Z");

  static DeploySpec spec(ChangePolicy change) {
    return new DeploySpec(
        "production",
        LockSpec.DEFAULT,
        WindowSpec.ALWAYS_OPEN,
        change,
        Optional.empty(),
        List.of(),
        ShellCheck.of("deploy", "./deploy.sh"),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        RecordSpec.NONE);
  }

  static final DeploySpec TWO_APPROVALS =
      spec(
          new ChangePolicy(
              true,
              Map.of(ChangeType.NORMAL, new ChangePolicy.TypePolicy(2, List.of(), true, false))));

  static ChangeRequest normal(String sha, Approval... approvals) {
    ChangeRequest cr =
        ChangeRequest.draft(
            "CR-1", "production", ChangeType.NORMAL, Risk.MEDIUM, sha, "alice", Optional.empty());
    for (Approval a : approvals) {
      cr = cr.withApproval(a);
    }
    return cr.transitionTo(ChangeStatus.APPROVED);
  }

  @Test
  void two_distinct_approvals_for_the_commit_pass() {
    ChangeRequest cr = normal(A, new Approval("bob", A, T), new Approval("carol", A, T));
    GateResult r = ChangeCheck.evaluate(cr, TWO_APPROVALS, A, "alice");
    assertThat(r).isInstanceOf(GateResult.Pass.class);
    assertThat(r.reason()).contains("approved by bob, carol for commit " + A);
  }

  @Test
  void self_approval_does_not_count() {
    ChangeRequest cr = normal(A, new Approval("alice", A, T), new Approval("bob", A, T));
    GateResult r = ChangeCheck.evaluate(cr, TWO_APPROVALS, A, "alice");
    assertThat(r).isInstanceOf(GateResult.Blocked.class);
    assertThat(r.reason())
        .isEqualTo(
            "CR-1 has 1 of 2 approvals for commit "
                + A
                + " (bob); not counted: alice wrote the request and cannot approve it");
    assertThat(r.recovery().orElseThrow().nextStep())
        .isEqualTo("ask someone other than alice to approve commit " + A);
  }

  @Test
  void second_vote_by_same_person_does_not_count_and_is_reported() {
    ChangeRequest cr = normal(A, new Approval("bob", A, T), new Approval("Bob", A, T));
    ChangeCheck.Tally tally =
        ChangeCheck.tally(cr, TWO_APPROVALS.change().policy(ChangeType.NORMAL), A);
    assertThat(tally.counted()).containsExactly("bob");
    assertThat(tally.ignored())
        .extracting(ChangeCheck.Ignored::why)
        .containsExactly("Bob already approved; one vote per person");
    assertThat(ChangeCheck.evaluate(cr, TWO_APPROVALS, A, "alice"))
        .isInstanceOf(GateResult.Blocked.class);
  }

  @Test
  void approval_for_another_commit_does_not_count() {
    ChangeRequest cr = normal(B, new Approval("bob", A, T), new Approval("carol", B, T));
    ChangeCheck.Tally tally =
        ChangeCheck.tally(cr, TWO_APPROVALS.change().policy(ChangeType.NORMAL), B);
    assertThat(tally.counted()).containsExactly("carol");
    assertThat(tally.ignored().get(0).why())
        .isEqualTo("bob approved commit " + A + ", not the deployed commit " + B);
  }

  @Test
  void request_for_another_commit_is_blocked() {
    ChangeRequest cr = normal(A, new Approval("bob", A, T), new Approval("carol", A, T));
    GateResult r = ChangeCheck.evaluate(cr, TWO_APPROVALS, B, "alice");
    assertThat(r.reason()).isEqualTo("CR-1 is for commit " + A + ", not the deployed commit " + B);
  }

  @Test
  void only_listed_approvers_count() {
    DeploySpec listed =
        spec(
            new ChangePolicy(
                true,
                Map.of(
                    ChangeType.NORMAL,
                    new ChangePolicy.TypePolicy(1, List.of("carol"), true, false))));
    ChangeRequest cr = normal(A, new Approval("bob", A, T));
    GateResult r = ChangeCheck.evaluate(cr, listed, A, "alice");
    assertThat(r).isInstanceOf(GateResult.Blocked.class);
    assertThat(r.reason()).contains("bob is not a listed approver [carol]");
    assertThat(ChangeCheck.evaluate(cr.withApproval(new Approval("carol", A, T)), listed, A, "x"))
        .isInstanceOf(GateResult.Pass.class);
  }

  @Test
  void draft_request_is_blocked_until_approved() {
    ChangeRequest draft =
        ChangeRequest.draft(
                "CR-2", "production", ChangeType.STANDARD, Risk.LOW, A, "alice", Optional.empty())
            .withApproval(new Approval("bob", A, T));
    GateResult r = ChangeCheck.evaluate(draft, TWO_APPROVALS, A, "alice");
    assertThat(r.reason()).isEqualTo("CR-2 is draft, not approved");
    assertThat(r.recovery().orElseThrow().safeRetry()).isEqualTo("yes, once it is approved");
  }

  @Test
  void emergency_without_reason_is_blocked() {
    ChangeRequest cr =
        ChangeRequest.draft(
                "CR-3", "production", ChangeType.EMERGENCY, Risk.HIGH, A, "alice", Optional.of(" "))
            .withApproval(new Approval("bob", A, T))
            .transitionTo(ChangeStatus.APPROVED);
    GateResult r = ChangeCheck.evaluate(cr, TWO_APPROVALS, A, "alice");
    assertThat(r.reason()).isEqualTo("CR-3 (emergency) gives no reason");
  }

  @Test
  void emergency_with_reason_passes_and_says_the_lock_still_applies() {
    ChangeRequest cr =
        ChangeRequest.draft(
                "CR-3",
                "production",
                ChangeType.EMERGENCY,
                Risk.HIGH,
                A,
                "alice",
                Optional.of("payment outage"))
            .withApproval(new Approval("bob", A, T))
            .transitionTo(ChangeStatus.APPROVED);
    GateResult r = ChangeCheck.evaluate(cr, TWO_APPROVALS, A, "alice");
    assertThat(r).isInstanceOf(GateResult.Pass.class);
    assertThat(r.reason())
        .endsWith("emergency: windows are bypassed and recorded, the deploy lock still applies");
  }

  @Test
  void missing_request_blocks_only_when_required() {
    assertThat(ChangeCheck.evaluate(Optional.empty(), TWO_APPROVALS, A, "alice").reason())
        .isEqualTo("production needs an approved change request for every deploy");
    assertThat(ChangeCheck.evaluate(Optional.empty(), spec(ChangePolicy.DEFAULT), A, "alice"))
        .isInstanceOf(GateResult.Pass.class);
  }

  @Test
  void request_for_another_environment_is_blocked() {
    ChangeRequest cr =
        ChangeRequest.draft(
                "CR-4", "staging", ChangeType.STANDARD, Risk.LOW, A, "alice", Optional.empty())
            .transitionTo(ChangeStatus.APPROVED);
    assertThat(ChangeCheck.evaluate(cr, TWO_APPROVALS, A, "alice").reason())
        .isEqualTo("CR-4 is for environment staging, not production");
  }

  @Test
  void illegal_change_transition_is_refused_with_the_allowed_ones() {
    ChangeRequest cr =
        ChangeRequest.draft(
            "CR-5", "production", ChangeType.NORMAL, Risk.LOW, A, "alice", Optional.empty());
    assertThatThrownBy(() -> cr.transitionTo(ChangeStatus.COMPLETED))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT);
              assertThat(e.diagnostics().get(0).message())
                  .isEqualTo(
                      "change request CR-5 cannot go from draft to completed; allowed next:"
                          + " approved, rejected, cancelled");
            });
    ChangeRequest done =
        cr.transitionTo(ChangeStatus.APPROVED)
            .transitionTo(ChangeStatus.IN_PROGRESS)
            .transitionTo(ChangeStatus.COMPLETED);
    assertThat(done.status()).isEqualTo(ChangeStatus.COMPLETED);
    assertThatThrownBy(() -> done.transitionTo(ChangeStatus.CANCELLED))
        .hasMessageContaining("allowed next: none: completed is final");
    ChangeRequest running =
        cr.transitionTo(ChangeStatus.APPROVED).transitionTo(ChangeStatus.IN_PROGRESS);
    assertThatThrownBy(() -> running.transitionTo(ChangeStatus.CANCELLED))
        .hasMessageContaining("cannot go from in-progress to cancelled");
    assertThatThrownBy(() -> running.withApproval(new Approval("bob", A, T)))
        .hasMessageContaining("it is in-progress");
  }

  @Test
  void cancel_and_reject_are_allowed_from_draft_and_approved() {
    ChangeRequest cr =
        ChangeRequest.draft(
            "CR-6", "production", ChangeType.NORMAL, Risk.LOW, A, "alice", Optional.empty());
    assertThat(cr.transitionTo(ChangeStatus.CANCELLED).status()).isEqualTo(ChangeStatus.CANCELLED);
    assertThat(cr.transitionTo(ChangeStatus.APPROVED).transitionTo(ChangeStatus.REJECTED).status())
        .isEqualTo(ChangeStatus.REJECTED);
  }

  @Test
  void commit_sha_must_be_hex() {
    assertThatThrownBy(
            () ->
                ChangeRequest.draft(
                    "CR-7", "p", ChangeType.NORMAL, Risk.LOW, "main", "a", Optional.empty()))
        .hasMessage("commitSha must be 7 to 64 lower-case hex digits but was 'main'");
  }
}
