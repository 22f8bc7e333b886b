package dev.tollgate.controlplane.internal.pages;

import java.util.List;

/**
 * The Operations view: every environment with its lock, window and latest release; the newest
 * promotions with Approve and Deploy now; the newest change requests with their approval chain.
 *
 * @param frame the frame
 * @param environments one card per environment
 * @param promotions the newest promotions
 * @param changes the newest change requests
 * @param names the environments' names, for the forms' choices
 * @param canDeploy whether the caller has the deploy scope (Deploy now, hold, unlock)
 * @param notice what the last form did, or empty
 */
public record OperationsPage(
    Frame frame,
    List<EnvironmentCard> environments,
    List<PromotionRow> promotions,
    List<ChangeRow> changes,
    List<String> names,
    boolean canDeploy,
    String notice) {

  /**
   * An environment.
   *
   * @param name its name
   * @param href its page
   * @param lockState {@code free}, {@code held} or {@code deploying}
   * @param lock who locks it and why, or empty
   * @param windowOpen whether a deploy may start now
   * @param window the window's reason and when it changes
   * @param latest its latest release in one line, or empty
   * @param latestStatus that release's status, or empty
   * @param holdAction where the hold form posts
   * @param unlockAction where the unlock form posts
   */
  public record EnvironmentCard(
      String name,
      String href,
      String lockState,
      String lock,
      boolean windowOpen,
      String window,
      String latest,
      String latestStatus,
      String holdAction,
      String unlockAction) {}

  /**
   * A promotion.
   *
   * @param id its id
   * @param href its page
   * @param summary ref → environment
   * @param status its status
   * @param approveAction where Approve posts, or empty when it is not pending
   * @param deployAction where Deploy now posts, or empty when it is not approved
   */
  public record PromotionRow(
      String id,
      String href,
      String summary,
      String status,
      String approveAction,
      String deployAction) {}

  /**
   * A change request with its approval chain.
   *
   * @param id its id
   * @param summary type, risk, environment, commit and author
   * @param reason why, or empty
   * @param status its status
   * @param approvals counted of needed, with who
   * @param ignored the votes that do not count, each with why
   * @param approveAction where Approve posts, or empty when it may not be approved
   * @param rejectAction where Reject posts, or empty when it may not be rejected
   */
  public record ChangeRow(
      String id,
      String summary,
      String reason,
      String status,
      String approvals,
      List<String> ignored,
      String approveAction,
      String rejectAction) {}
}
