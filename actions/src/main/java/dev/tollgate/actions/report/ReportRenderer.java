package dev.tollgate.actions.report;

import dev.tollgate.core.report.Report;

/** Turns a {@link Report} into the text of one {@link ReportFormat}. */
public interface ReportRenderer {

  /** Renders the report; the result ends with a newline unless it is empty. */
  String render(Report report, RenderOptions options);

  /** The renderer for a format. */
  static ReportRenderer of(ReportFormat format) {
    // CONTRACT PLACEHOLDER: implemented by the report renderers work in this change.
    throw new UnsupportedOperationException("not implemented yet: " + format);
  }
}
