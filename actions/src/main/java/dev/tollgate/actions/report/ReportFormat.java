package dev.tollgate.actions.report;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;

/** The output formats every report can be rendered in. */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum ReportFormat {
  /** Compiler-style lines for a terminal: {@code file:line:col: error SK019 message}. */
  TEXT,
  /** A JSON object with a summary and findings; schema in {@code docs/schemas/}. */
  JSON,
  /** What a PR comment or job summary shows. */
  MARKDOWN,
  /** SARIF 2.1.0 for GitHub code scanning. */
  SARIF,
  /** GitHub Actions workflow commands ({@code ::error file=…::…}). */
  GITHUB;

  /** The name users type: {@code text}, {@code json}, … */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a user-typed name, ignoring case. */
  public static Optional<ReportFormat> parse(String text) {
    for (ReportFormat f : values()) {
      if (f.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
