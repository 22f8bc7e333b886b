package dev.tollgate.core.gate;

import java.util.Locale;

/** The outcome class of one gate: passed, blocked, or could not be evaluated. */
public enum GateStatus {
  /** The gate allows what was asked. */
  PASS,
  /** The gate forbids what was asked and says how to recover. */
  BLOCKED,
  /** The gate could not decide, e.g. it threw or lacked the facts it needs. */
  ERROR;

  /**
   * The lower-case name used in every output format: {@code pass}, {@code blocked}, {@code error}.
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
