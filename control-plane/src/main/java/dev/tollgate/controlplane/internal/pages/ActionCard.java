package dev.tollgate.controlplane.internal.pages;

import java.util.List;

/**
 * One action offered on a work item's page: Enabled with its button, or Blocked with the recovery
 * of the gate that blocked it.
 *
 * @param id the action's id
 * @param title its title
 * @param transition the lane move, or empty
 * @param enabled whether every gate passed
 * @param gates each gate's result
 * @param cause the blocking gate's cause, or empty
 * @param policyContext the rule behind it, or empty
 * @param nextStep what to do, or empty
 * @param safeRetry when retrying is safe, or empty
 * @param formAction where its form posts
 */
public record ActionCard(
    String id,
    String title,
    String transition,
    boolean enabled,
    List<GateRow> gates,
    String cause,
    String policyContext,
    String nextStep,
    String safeRetry,
    String formAction) {

  /**
   * One gate's result.
   *
   * @param gate the gate's id
   * @param status {@code pass}, {@code blocked} or {@code error}
   * @param reason why
   */
  public record GateRow(String gate, String status, String reason) {}
}
