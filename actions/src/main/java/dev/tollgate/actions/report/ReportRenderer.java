package dev.tollgate.actions.report;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.report.Report;
import org.apiguardian.api.API;

/** Turns a {@link Report} into the text of one {@link ReportFormat}. */
@API(status = EXPERIMENTAL, since = "0.1.0")
public interface ReportRenderer {

  /** Renders the report; the result ends with a newline unless it is empty. */
  String render(Report report, RenderOptions options);

  /**
   * The renderer for a format. Renderers are stateless and thread-safe; they never throw for a
   * well-formed {@link Report}, whatever its messages and paths contain.
   */
  static ReportRenderer of(ReportFormat format) {
    return switch (format) {
      case TEXT -> new TextRenderer();
      case JSON -> new JsonRenderer();
      case MARKDOWN -> new MarkdownRenderer();
      case SARIF -> new SarifRenderer();
      case GITHUB -> new GithubRenderer();
    };
  }
}
