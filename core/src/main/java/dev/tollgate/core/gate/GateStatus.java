package dev.tollgate.core.gate;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Locale;
import org.apiguardian.api.API;

/** The outcome class of one gate: passed, blocked, or could not be evaluated. */
@API(status = STABLE, since = "0.1.0")
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
