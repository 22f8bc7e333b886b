package dev.tollgate.core.runs.template;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import org.apiguardian.api.API;

/**
 * A failure that a template's {@code retry_on} asks to try again, while the run has attempts left.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum RetryOn {
  /** A step failed: a non-zero exit code, an unexpected HTTP status, a container that failed. */
  ERROR,
  /** A step took longer than its timeout, or the run longer than the template's. */
  TIMEOUT;

  /** The word the template file uses: {@code error}, {@code timeout}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
