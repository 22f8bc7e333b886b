package dev.tollgate.speckit.internal;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.speckit.internal.shared.RuleCatalog;
import dev.tollgate.speckit.internal.shared.SourceFile;

/** A factory for the validator's findings, at a rule's default severity unless told otherwise. */
final class Findings {
  private Findings() {}

  /** A finding of {@code ruleId} at its catalog severity. */
  static Diagnostic of(String ruleId, Location location, String message, String hint) {
    return of(ruleId, RuleCatalog.require(ruleId).defaultSeverity(), location, message, hint);
  }

  /** A finding of {@code ruleId} at a severity the rule chose for this case (E/W rules). */
  static Diagnostic of(
      String ruleId, Severity severity, Location location, String message, String hint) {
    return Diagnostic.of(severity, ruleId, message, location, hint);
  }

  /** The location of a character offset, clamped into the file. */
  static Location locate(SourceFile src, int offset) {
    return src.locate(Math.max(0, Math.min(offset, src.text().length())));
  }

  /** Shortens text for a message, so a finding on a huge line stays readable. */
  static String clip(String text) {
    String t = text.strip();
    return t.length() <= 80 ? t : t.substring(0, 77) + "...";
  }
}
