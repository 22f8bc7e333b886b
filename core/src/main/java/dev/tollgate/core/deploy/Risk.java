package dev.tollgate.core.deploy;

import java.util.Locale;

/** How risky a change request says it is. */
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
