package dev.tollgate.controlplane.internal.pages;

import java.util.List;

/**
 * The Spec Kit view: the project's features with their validation status and findings, and the form
 * that generates a new one as a download.
 *
 * @param frame the frame
 * @param summary the counts in one line
 * @param features one per feature folder (and one for the project as a whole)
 * @param initAction where the new-feature form posts
 * @param notice what the last form did, or empty
 */
public record SpecKitPage(
    Frame frame, String summary, List<Feature> features, String initAction, String notice) {

  /**
   * A feature.
   *
   * @param path its folder
   * @param status {@code ok}, {@code warnings} or {@code errors}
   * @param errors how many errors
   * @param warnings how many warnings
   * @param findings its findings in order
   */
  public record Feature(
      String path, String status, int errors, int warnings, List<Finding> findings) {}

  /**
   * One finding.
   *
   * @param severity error, warning or info
   * @param rule its rule id
   * @param ruleHref the rule's page, or empty
   * @param place file:line:column
   * @param message what is wrong
   * @param hint how to fix it, or empty
   */
  public record Finding(
      String severity, String rule, String ruleHref, String place, String message, String hint) {}
}
