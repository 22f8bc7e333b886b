package dev.tollgate.controlplane.internal.pages;

import java.util.List;

/**
 * The project's run templates.
 *
 * @param frame the frame
 * @param templates one row each: name, link, description and lane
 */
public record TemplatesPage(Frame frame, List<Row> templates) {

  /**
   * A template.
   *
   * @param name its name
   * @param href its page (the form)
   * @param description its description, or empty
   * @param lane its default lane
   * @param steps how many steps it has
   */
  public record Row(String name, String href, String description, String lane, int steps) {}
}
