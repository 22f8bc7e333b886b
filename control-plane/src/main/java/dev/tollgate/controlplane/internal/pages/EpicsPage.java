package dev.tollgate.controlplane.internal.pages;

import java.util.List;

/**
 * The epics the policy declares, each with its progress and the blockers holding its unfinished
 * items.
 *
 * @param frame the frame
 * @param epics one row each, in id order
 */
public record EpicsPage(Frame frame, List<Row> epics) {

  /**
   * One epic.
   *
   * @param id its id
   * @param title its title
   * @param href the board filtered to its items
   * @param done items done
   * @param total items in all
   * @param percent percent done (deferred items do not count)
   * @param counts in progress, open and deferred, as a line of text
   * @param blockers each open blocker: the held item and what holds it
   */
  public record Row(
      String id,
      String title,
      String href,
      int done,
      int total,
      int percent,
      String counts,
      List<String> blockers) {}
}
