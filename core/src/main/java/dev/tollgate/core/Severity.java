package dev.tollgate.core;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;

/** The severity of a {@link Diagnostic}: how much a finding matters to the verdict. */
@API(status = STABLE, since = "0.1.0")
public enum Severity {
  /** A problem that fails the check. */
  ERROR,
  /** A problem worth fixing that fails the check only in strict mode. */
  WARNING,
  /** A remark that never fails the check. */
  INFO;

  /**
   * The lower-case name used in every output format: {@code error}, {@code warning}, {@code info}.
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a label written by a user ({@code error}, {@code warning}, {@code info}, or the
   * one-letter forms {@code E}, {@code W}, {@code I}), ignoring case.
   */
  public static Optional<Severity> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "error", "e" -> Optional.of(ERROR);
      case "warning", "warn", "w" -> Optional.of(WARNING);
      case "info", "i" -> Optional.of(INFO);
      default -> Optional.empty();
    };
  }
}
