package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.tollgate.core.config.Durations;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.Recovery;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The window gate of a deploy: turns a {@link WindowDecision} into a {@link GateResult} with
 * recovery guidance, and lets a change request whose type does not apply windows (emergencies by
 * default) start anyway, as a recorded override.
 *
 * <p>This gate checks the time only. Whether the change request itself is valid is {@link
 * ChangeCheck}'s job, and the engine runs both; no change request skips the deploy lock.
 */
@API(status = INTERNAL, since = "0.1.0")
public final class WindowGate {
  private WindowGate() {}

  /** The gate id of window results. */
  public static final String GATE_ID = "deploy-window";

  /**
   * What the window gate decided.
   *
   * @param result the gate result to report
   * @param decision what the windows alone say
   * @param override when a change request let the deploy start despite the windows, what to record
   *     about it, e.g. {@code CR-7 (emergency): windows bypassed: database failover}
   */
  public record Outcome(GateResult result, WindowDecision decision, Optional<String> override) {
    /** Checks the fields. */
    public Outcome {
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(override, "override");
    }
  }

  /**
   * Evaluates the windows of {@code spec} for a deploy starting at {@code now} and expected to take
   * {@code expectedDuration}.
   */
  public static Outcome evaluate(
      DeploySpec spec, Instant now, Duration expectedDuration, Optional<ChangeRequest> request) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(request, "request");
    WindowDecision decision = DeployWindows.of(spec.windows()).evaluate(now, expectedDuration);
    String env = spec.environment();
    if (decision instanceof WindowDecision.Open open) {
      return new Outcome(
          GateResult.pass(GATE_ID, env + " window open: " + open.reason()),
          decision,
          Optional.empty());
    }
    Optional<ChangeRequest> bypass =
        request.filter(
            cr ->
                !spec.change().policy(cr.type()).windowsApply()
                    && cr.environment().equals(env)
                    && (!spec.change().policy(cr.type()).reasonRequired()
                        || cr.reason().isPresent()));
    if (bypass.isPresent()) {
      ChangeRequest cr = bypass.get();
      String note =
          cr.id()
              + " ("
              + cr.type().label()
              + "): windows bypassed"
              + cr.reason().map(r -> ": " + r).orElse("");
      return new Outcome(
          GateResult.pass(
              GATE_ID, env + " window closed (" + decision.reason() + "), overridden by " + note),
          decision,
          Optional.of(note));
    }
    String file = DeploySpec.DIRECTORY + "/" + env + ".yml";
    String emergency =
        "deploy as an emergency with a change request of type emergency and --reason";
    if (decision instanceof WindowDecision.Closed closed) {
      String when = closed.nextOpen().map(Instant::toString).orElse("the windows change");
      return new Outcome(
          GateResult.blocked(
              GATE_ID,
              env + " window closed (" + closed.reason() + ")",
              Recovery.of(
                  env + " window closed (" + closed.reason() + ")",
                  file + ": windows (deny beats allow; no window declared means always open)",
                  "wait until " + when + " or " + emergency,
                  "yes: nothing was changed; retry after " + when)),
          decision,
          Optional.empty());
    }
    WindowDecision.NoRunway noRunway = (WindowDecision.NoRunway) decision;
    String needed = Durations.format(noRunway.needed());
    return new Outcome(
        GateResult.blocked(
            GATE_ID,
            env + " window closes at " + noRunway.closesAt() + ", too soon to start",
            Recovery.of(
                env
                    + " window closes at "
                    + noRunway.closesAt()
                    + " but a deploy needs "
                    + needed
                    + " (runway "
                    + Durations.format(spec.windows().runway())
                    + ")",
                file + ": windows.runway: " + Durations.format(spec.windows().runway()),
                "wait for the next window, or " + emergency,
                "yes: nothing was changed")),
        decision,
        Optional.empty());
  }
}
