package dev.tollgate.actions.report;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Settings shared by all renderers. Build one with {@link #builder()}.
 *
 * @param strict whether warnings fail the check (changes the verdict line)
 * @param docsBaseUrl prefix for links to rule pages; a rule's {@code docsPath} is appended
 * @param toolVersion the runner's version, for SARIF's {@code tool.driver.version}
 * @param maxFindings how many findings the capped formats (markdown) list before summarising
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record RenderOptions(
    boolean strict, String docsBaseUrl, String toolVersion, int maxFindings) {

  /** Where rule pages are published unless the user says otherwise. */
  public static final String DEFAULT_DOCS_BASE_URL =
      "https://github.com/tollgate-dev/tollgate/blob/main/";

  /** How many findings capped formats list unless told otherwise. */
  public static final int DEFAULT_MAX_FINDINGS = 50;

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
    return builder().toolVersion(toolVersion).build();
  }

  /**
   * A builder starting from the defaults (not strict, {@link #DEFAULT_DOCS_BASE_URL}, {@value
   * #DEFAULT_MAX_FINDINGS} findings); the tool version is required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder()
        .strict(strict)
        .docsBaseUrl(docsBaseUrl)
        .toolVersion(toolVersion)
        .maxFindings(maxFindings);
  }

  /** Builds {@link RenderOptions}, checking each value as it is set. */
  public static final class Builder {
    private boolean strict;
    private String docsBaseUrl = DEFAULT_DOCS_BASE_URL;
    private String toolVersion;
    private int maxFindings = DEFAULT_MAX_FINDINGS;

    private Builder() {}

    /** Whether warnings fail the check; default not. */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /** The prefix of links to rule pages; empty for links relative to the repository. */
    public Builder docsBaseUrl(String docsBaseUrl) {
      this.docsBaseUrl = Objects.requireNonNull(docsBaseUrl, "docsBaseUrl");
      return this;
    }

    /** The runner's version, e.g. {@code 0.1.0}. */
    public Builder toolVersion(String toolVersion) {
      this.toolVersion = Objects.requireNonNull(toolVersion, "toolVersion");
      return this;
    }

    /** How many findings capped formats list; 1 or more. */
    public Builder maxFindings(int maxFindings) {
      if (maxFindings < 1) {
        throw new IllegalArgumentException("maxFindings must be >= 1 but was " + maxFindings);
      }
      this.maxFindings = maxFindings;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalStateException when no tool version was given
     */
    public RenderOptions build() {
      if (toolVersion == null) {
        throw new IllegalStateException("toolVersion is required");
      }
      return new RenderOptions(strict, docsBaseUrl, toolVersion, maxFindings);
    }
  }
}
