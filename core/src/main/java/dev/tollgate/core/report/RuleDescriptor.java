package dev.tollgate.core.report;

import static org.apiguardian.api.API.Status.STABLE;

import dev.tollgate.core.Severity;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A rule in a catalog: its stable id, default severity, a one-line title, a longer help text and
 * the path of its documentation page in the Tollgate repository.
 *
 * @param id stable id, e.g. {@code SK019}; never reused for another meaning
 * @param defaultSeverity the severity its findings have unless configured otherwise
 * @param title a short phrase, e.g. "duplicate task id"
 * @param help one or two sentences on why it matters and how to fix it
 * @param docsPath the documentation page relative to the repository root, e.g. {@code
 *     docs/rules/SK019.md}
 */
@API(status = STABLE, since = "0.1.0")
public record RuleDescriptor(
    String id, Severity defaultSeverity, String title, String help, String docsPath) {

  private static final Pattern ID = Pattern.compile("[A-Z][A-Z0-9-]*[0-9A-Za-z]");

  /** Checks that the id is well formed and every text is present. */
  public RuleDescriptor {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(defaultSeverity, "defaultSeverity");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(help, "help");
    Objects.requireNonNull(docsPath, "docsPath");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "rule id must be upper-case letters, digits and '-' but was '" + id + "'");
    }
    if (title.isBlank()) {
      throw new IllegalArgumentException("title of rule " + id + " must not be blank");
    }
  }
}
