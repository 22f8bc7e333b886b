package dev.tollgate.controlplane.internal.pages;

import java.util.List;

/**
 * A run template: what it is, a form generated from its parameter schema, and, after "Preview",
 * what the run would do; "Enqueue" puts the run in its lane.
 *
 * @param frame the frame
 * @param name the template's name
 * @param description its description, or empty
 * @param lane its default lane
 * @param fields one form field per top-level parameter
 * @param laneValue the lane typed in the form, or empty for the template's
 * @param previewAction where Preview posts
 * @param enqueueAction where Enqueue posts
 * @param problems what is wrong with the parameters given, one line each (file:line:column style)
 * @param preview the preview, or null before one was asked for
 * @param source the template's YAML as committed
 */
public record TemplatePage(
    Frame frame,
    String name,
    String description,
    String lane,
    List<ParamField> fields,
    String laneValue,
    String previewAction,
    String enqueueAction,
    List<String> problems,
    Preview preview,
    String source) {

  /**
   * A form field for one parameter.
   *
   * @param name the parameter's name (the field is {@code p.<name>})
   * @param input {@code text}, {@code number}, {@code password} (secret) or {@code select}
   * @param required whether the schema requires it
   * @param hint its description, type and bounds, or empty
   * @param value the value to show (never a secret's)
   * @param options the choices of a {@code select}: an empty first one, then the enum or true/false
   */
  public record ParamField(
      String name,
      String input,
      boolean required,
      String hint,
      String value,
      List<String> options) {}

  /**
   * What the run would do.
   *
   * @param lane the lane it would join
   * @param params the parameters as it would get them, as indented JSON (secrets {@code ***})
   * @param variables each {@code TOLLGATE_PARAM_*} variable and its value
   * @param steps each step: name, kind and timeout, then what it runs
   */
  public record Preview(String lane, String params, List<Field> variables, List<Field> steps) {}
}
