package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import org.apiguardian.api.API;

/** How risky a change request says it is. */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum Risk {
  /** Little can go wrong. */
  LOW,
  /** A failure is noticeable but recoverable. */
  MEDIUM,
  /** A failure hurts. */
  HIGH;

  /** The lower-case name used in files and on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
