package dev.tollgate.core.report;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The counts at the head of a {@link Report}.
 *
 * @param errors findings with severity error
 * @param warnings findings with severity warning
 * @param infos findings with severity info
 * @param files how many files were read
 * @param sections how many sections (e.g. features) were examined, not counting the project-level
 *     section
 */
@API(status = STABLE, since = "0.1.0")
public record Summary(int errors, int warnings, int infos, int files, int sections) {

  /** Checks that no count is negative. */
  public Summary {
    if (errors < 0 || warnings < 0 || infos < 0 || files < 0 || sections < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }

  /** All findings, whatever their severity. */
  public int total() {
    return errors + warnings + infos;
  }
}
