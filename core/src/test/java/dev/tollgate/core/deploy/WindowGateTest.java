package dev.tollgate.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.Recovery;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WindowGateTest {
  static final String A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  static final DeploySpec PRODUCTION =
      new DeploySpec(
          "production",
          LockSpec.DEFAULT,
          new WindowSpec(
              BERLIN,
              List.of(),
              List.of(
                  new Window.Recurring(
                      Optional.of("Friday freeze"), "0 16 * * 5", Duration.ofHours(64))),
              Duration.ofMinutes(20),
              WindowSpec.OnClose.FINISH),
          ChangePolicy.DEFAULT,
          Optional.empty(),
          List.of(),
          ShellCheck.of("deploy", "./deploy.sh"),
          List.of(),
          Optional.empty(),
          Optional.empty(),
          RecordSpec.NONE);

  // Friday 2026-06-12 17:00 Berlin (15:00Z): inside the freeze, which ends Monday 08:00 (06:00Z).
  static final Instant FRIDAY_EVENING = Instant.parse("2026-06-12T15:00:00Z");

  static ChangeRequest emergency(Optional<String> reason) {
    return ChangeRequest.draft(
            "CR-9", "production", ChangeType.EMERGENCY, Risk.HIGH, A, "alice", reason)
        .transitionTo(ChangeStatus.APPROVED);
  }

  @Test
  void closed_window_blocks_with_recovery_guidance() {
    WindowGate.Outcome o =
        WindowGate.evaluate(PRODUCTION, FRIDAY_EVENING, Duration.ZERO, Optional.empty());
    assertThat(o.result()).isInstanceOf(GateResult.Blocked.class);
    assertThat(o.override()).isEmpty();
    Recovery r = o.result().recovery().orElseThrow();
    assertThat(r.cause())
        .isEqualTo(
            "production window closed (deny: Friday freeze (cron '0 16 * * 5' for 64h),"
                + " Europe/Berlin)");
    assertThat(r.nextStep())
        .isEqualTo(
            "wait until 2026-06-15T06:00:00Z or deploy as an emergency with a change request of"
                + " type emergency and --reason");
    assertThat(r.safeRetry()).startsWith("yes");
  }

  @Test
  void emergency_with_reason_overrides_a_closed_window_and_is_recorded() {
    WindowGate.Outcome o =
        WindowGate.evaluate(
            PRODUCTION,
            FRIDAY_EVENING,
            Duration.ZERO,
            Optional.of(emergency(Optional.of("payment outage"))));
    assertThat(o.result()).isInstanceOf(GateResult.Pass.class);
    assertThat(o.decision()).isInstanceOf(WindowDecision.Closed.class);
    assertThat(o.override()).contains("CR-9 (emergency): windows bypassed: payment outage");
  }

  @Test
  void emergency_without_reason_does_not_override() {
    WindowGate.Outcome o =
        WindowGate.evaluate(
            PRODUCTION, FRIDAY_EVENING, Duration.ZERO, Optional.of(emergency(Optional.empty())));
    assertThat(o.result()).isInstanceOf(GateResult.Blocked.class);
  }

  @Test
  void normal_change_does_not_override() {
    ChangeRequest normal =
        ChangeRequest.draft(
                "CR-8", "production", ChangeType.NORMAL, Risk.LOW, A, "alice", Optional.of("x"))
            .transitionTo(ChangeStatus.APPROVED);
    assertThat(
            WindowGate.evaluate(PRODUCTION, FRIDAY_EVENING, Duration.ZERO, Optional.of(normal))
                .result())
        .isInstanceOf(GateResult.Blocked.class);
  }

  @Test
  void too_little_runway_blocks() {
    // Friday 15:50 Berlin: the freeze starts in 10 minutes, the runway is 20.
    WindowGate.Outcome o =
        WindowGate.evaluate(
            PRODUCTION, Instant.parse("2026-06-12T13:50:00Z"), Duration.ZERO, Optional.empty());
    assertThat(o.decision()).isInstanceOf(WindowDecision.NoRunway.class);
    assertThat(o.result().recovery().orElseThrow().cause())
        .isEqualTo(
            "production window closes at 2026-06-12T14:00:00Z but a deploy needs 20m (runway"
                + " 20m)");
  }

  @Test
  void open_window_passes() {
    WindowGate.Outcome o =
        WindowGate.evaluate(
            PRODUCTION, Instant.parse("2026-06-10T10:00:00Z"), Duration.ZERO, Optional.empty());
    assertThat(o.result()).isInstanceOf(GateResult.Pass.class);
  }
}
