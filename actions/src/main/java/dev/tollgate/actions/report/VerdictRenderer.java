package dev.tollgate.actions.report;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.report.Report;
import dev.tollgate.policy.MergeGateResult;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Turns a merge gate's result into the text of one {@link ReportFormat}, as {@code tollgate gate
 * --format} prints it: text and JSON show the change, the policy and every gate with its fix;
 * Markdown is the body of the sticky comment ({@link GateMarkdown#fitting}); SARIF and workflow
 * commands give one finding per place a blocked gate points at ({@link GateMarkdown#toReport}).
 */
@FunctionalInterface
@API(status = EXPERIMENTAL, since = "0.1.0")
public interface VerdictRenderer {

  /** Renders the result; the text ends with a newline. */
  String render(MergeGateResult result, RenderOptions options);

  /** The renderer for a format. Renderers are stateless and thread-safe. */
  static VerdictRenderer of(ReportFormat format) {
    return switch (format) {
      case TEXT -> VerdictText::render;
      case JSON -> VerdictJson::render;
      case MARKDOWN ->
          (result, options) ->
              GateMarkdown.fitting(
                  result.verdict(),
                  GateHeading.of(result, Optional.empty()),
                  options.docsBaseUrl(),
                  MarkdownRenderer.MAX_BYTES);
      case SARIF, GITHUB ->
          (result, options) -> ReportRenderer.of(format).render(toReport(result, options), options);
    };
  }

  /**
   * The verdict as a {@link Report}, for SARIF, workflow commands and check-run annotations: one
   * error per place a blocked gate points at, linked to the pull-request rules' docs.
   */
  static Report toReport(MergeGateResult result, RenderOptions options) {
    return GateMarkdown.toReport(
        result.verdict(),
        result.change().policyFile(),
        result.change().changes().fileCount(),
        options.docsBaseUrl());
  }
}
