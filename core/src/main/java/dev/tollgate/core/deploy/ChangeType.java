package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import org.apiguardian.api.API;

/** The kind of a change request, which picks its approval policy (ITIL's three change types). */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum ChangeType {
  /** A routine, pre-authorised change. */
  STANDARD,
  /** A change that needs its approvals before it may start. */
  NORMAL,
  /** An urgent fix: needs a reason, may deploy outside windows, never skips the lock. */
  EMERGENCY;

  /** The lower-case name used in files and on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
