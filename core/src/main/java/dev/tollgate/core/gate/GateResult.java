package dev.tollgate.core.gate;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The result of evaluating one gate: {@link Pass}, {@link Blocked} with recovery guidance, or
 * {@link Error} when the gate could not decide.
 */
@API(status = STABLE, since = "0.1.0")
public sealed interface GateResult {

  /** The stable id of the gate that produced this result, e.g. {@code wip-limit}. */
  String gate();

  /** One sentence explaining the result, for every status. */
  String reason();

  /** Whether this result passed, blocked, or failed to evaluate. */
  GateStatus status();

  /** How to recover; present for blocked and error results, empty for a pass. */
  Optional<Recovery> recovery();

  /** A passing result. */
  static GateResult pass(String gate, String reason) {
    return new Pass(gate, reason);
  }

  /** A blocking result with its recovery guidance. */
  static GateResult blocked(String gate, String reason, Recovery recovery) {
    return new Blocked(gate, reason, recovery);
  }

  /** A result for a gate that could not decide. */
  static GateResult error(String gate, String reason, Recovery recovery) {
    return new Error(gate, reason, recovery);
  }

  /** A gate that allows what was asked. */
  record Pass(String gate, String reason) implements GateResult {
    /** Checks the gate id and reason. */
    public Pass {
      Checks.gateId(gate);
      Checks.text(reason, "reason");
    }

    @Override
    public GateStatus status() {
      return GateStatus.PASS;
    }

    @Override
    public Optional<Recovery> recovery() {
      return Optional.empty();
    }
  }

  /** A gate that forbids what was asked; {@code guidance} says how to recover. */
  record Blocked(String gate, String reason, Recovery guidance) implements GateResult {
    /** Checks the gate id, reason and guidance. */
    public Blocked {
      Checks.gateId(gate);
      Checks.text(reason, "reason");
      Objects.requireNonNull(guidance, "guidance");
    }

    @Override
    public GateStatus status() {
      return GateStatus.BLOCKED;
    }

    @Override
    public Optional<Recovery> recovery() {
      return Optional.of(guidance);
    }
  }

  /** A gate that could not decide; an error never counts as a pass. */
  record Error(String gate, String reason, Recovery guidance) implements GateResult {
    /** Checks the gate id, reason and guidance. */
    public Error {
      Checks.gateId(gate);
      Checks.text(reason, "reason");
      Objects.requireNonNull(guidance, "guidance");
    }

    @Override
    public GateStatus status() {
      return GateStatus.ERROR;
    }

    @Override
    public Optional<Recovery> recovery() {
      return Optional.of(guidance);
    }
  }
}
