package dev.tollgate.controlplane.internal.pages;

import java.util.List;

/**
 * The template editor: a template's YAML in a text area, checked as the loader checks the file
 * (each problem with its line and column), the template it makes, and the diff to commit; Save when
 * the console may write the checkout.
 *
 * @param frame the frame
 * @param name the template's name
 * @param file the file it belongs in, e.g. {@code .tollgate/templates/restart-service.yml}
 * @param yaml the text in the editor
 * @param version the file's version the text was opened at; empty for a new file
 * @param isNew whether no such file exists yet
 * @param action where the form posts (Check and Save)
 * @param checkUrl the API endpoint the page's script checks the text with as it is typed
 * @param problems every problem, in file order
 * @param summary what the text makes, one line (lane, parameters, steps); empty with problems
 * @param diff the change to commit, one line each; empty when nothing changes
 * @param canSave whether Save is offered
 * @param whyNotSave why it is not, with what to do instead; empty when it is
 * @param notice what was just done, or empty
 */
public record TemplateEditPage(
    Frame frame,
    String name,
    String file,
    String yaml,
    String version,
    boolean isNew,
    String action,
    String checkUrl,
    List<Problem> problems,
    String summary,
    List<DiffLine> diff,
    boolean canSave,
    String whyNotSave,
    String notice) {

  /**
   * One problem of the text.
   *
   * @param line its line, 0 when it has none
   * @param column its column, 0 when it has none
   * @param where {@code file:line:column}
   * @param message what is wrong: what was expected and what was found
   * @param hint how to fix it, or empty
   */
  public record Problem(int line, int column, String where, String message, String hint) {}

  /**
   * One line of the unified diff.
   *
   * @param kind {@code add}, {@code del}, {@code hunk}, {@code file} or {@code same}
   * @param text the line as the diff has it
   */
  public record DiffLine(String kind, String text) {

    /** The line of a unified diff with its kind. */
    public static DiffLine of(String text) {
      String kind;
      if (text.startsWith("+++") || text.startsWith("---")) {
        kind = "file";
      } else if (text.startsWith("@@")) {
        kind = "hunk";
      } else if (text.startsWith("+")) {
        kind = "add";
      } else if (text.startsWith("-")) {
        kind = "del";
      } else {
        kind = "same";
      }
      return new DiffLine(kind, text);
    }
  }
}
