package dev.tollgate.actions.report;

import java.util.Objects;

/**
 * Settings shared by all renderers.
 *
 * @param strict whether warnings fail the check (changes the verdict line)
 * @param docsBaseUrl prefix for links to rule pages; a rule's {@code docsPath} is appended
 * @param toolVersion the runner's version, for SARIF's {@code tool.driver.version}
 * @param maxFindings how many findings the capped formats (markdown) list before summarising
 */
public record RenderOptions(
    boolean strict, String docsBaseUrl, String toolVersion, int maxFindings) {

  /** Where rule pages are published unless the user says otherwise. */
  public static final String DEFAULT_DOCS_BASE_URL =
      "https://github.com/tollgate-dev/tollgate/blob/main/";

  /** Checks the values. */
  public RenderOptions {
    Objects.requireNonNull(docsBaseUrl, "docsBaseUrl");
    Objects.requireNonNull(toolVersion, "toolVersion");
    if (maxFindings < 1) {
      throw new IllegalArgumentException("maxFindings must be >= 1 but was " + maxFindings);
    }
  }

  /** Defaults: not strict, the default docs URL, 50 findings in capped formats. */
  public static RenderOptions defaults(String toolVersion) {
    return new RenderOptions(false, DEFAULT_DOCS_BASE_URL, toolVersion, 50);
  }
}
