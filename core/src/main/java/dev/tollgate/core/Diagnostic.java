package dev.tollgate.core;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A problem found in user input: the one shape every Tollgate module uses to tell a person what is
 * wrong, where, and how to fix it.
 *
 * @param severity how much it matters
 * @param ruleId the stable id of the rule or gate that found it, e.g. {@code SK019}
 * @param message one sentence naming the thing, the expected and the actual
 * @param location where it is
 * @param hint how to fix it; empty when there is nothing to add to the message
 * @param docsUrl a link to the rule's documentation page; empty when there is none
 */
@API(status = STABLE, since = "0.1.0")
public record Diagnostic(
    Severity severity,
    String ruleId,
    String message,
    Location location,
    Optional<String> hint,
    Optional<String> docsUrl)
    implements Comparable<Diagnostic> {

  /** Checks that every field is present and the message is not blank. */
  public Diagnostic {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(hint, "hint");
    Objects.requireNonNull(docsUrl, "docsUrl");
    if (ruleId.isBlank()) {
      throw new IllegalArgumentException("ruleId must not be blank");
    }
    if (message.isBlank()) {
      throw new IllegalArgumentException("message must not be blank");
    }
    hint = hint.filter(h -> !h.isBlank());
    docsUrl = docsUrl.filter(d -> !d.isBlank());
  }

  /** A diagnostic without a docs link. */
  public static Diagnostic of(
      Severity severity, String ruleId, String message, Location location, String hint) {
    return new Diagnostic(
        severity, ruleId, message, location, Optional.ofNullable(hint), Optional.empty());
  }

  /** A copy with another severity, for user overrides of a rule's default. */
  public Diagnostic withSeverity(Severity newSeverity) {
    return new Diagnostic(newSeverity, ruleId, message, location, hint, docsUrl);
  }

  /** A copy with a docs link. */
  public Diagnostic withDocsUrl(String url) {
    return new Diagnostic(severity, ruleId, message, location, hint, Optional.ofNullable(url));
  }

  /**
   * Orders by file, line, column, rule id, then message, so every output format lists findings in
   * the same stable order whatever order they were found in.
   */
  @Override
  public int compareTo(Diagnostic o) {
    int c = location.file().compareTo(o.location.file());
    if (c == 0) c = Integer.compare(location.line(), o.location.line());
    if (c == 0) c = Integer.compare(location.column(), o.location.column());
    if (c == 0) c = ruleId.compareTo(o.ruleId);
    if (c == 0) c = message.compareTo(o.message);
    return c;
  }

  /** {@code file:line:col: severity RULE message}, the compiler-style one-line form. */
  @Override
  public String toString() {
    return location + ": " + severity.label() + " " + ruleId + " " + message;
  }
}
