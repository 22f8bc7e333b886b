package dev.tollgate.controlplane.internal.pages;

import java.util.List;

/**
 * The runboard: lanes with their depth, the running runs with their heartbeat, and the newest runs
 * (one keyset page).
 *
 * @param frame the frame
 * @param lanes one column per lane with queued, running or template-declared runs
 * @param recent the newest runs matching the filter
 * @param older the link to the next (older) page, or empty
 * @param status the status filter, or empty
 * @param lane the lane filter, or empty
 */
public record RunboardPage(
    Frame frame,
    List<LaneRow> lanes,
    List<RunRow> recent,
    String older,
    String status,
    String lane) {

  /**
   * A lane's column: its depth, its running runs and its last finished run.
   *
   * @param lane the lane
   * @param queued runs waiting
   * @param runnable of those, runs available now
   * @param oldest how long the oldest has waited, or empty when none waits
   * @param running its running runs, each with its heartbeat
   * @param last its newest finished run, or null when it has none
   */
  public record LaneRow(
      String lane, long queued, long runnable, String oldest, List<Running> running, RunRow last) {

    /** Whether the last finished run may be retried (it failed or was cancelled). */
    public boolean retryable() {
      return last != null && (last.status().equals("error") || last.status().equals("cancelled"));
    }
  }

  /**
   * A running run.
   *
   * @param id its id
   * @param href its page
   * @param lane its lane
   * @param worker the worker running it
   * @param heartbeat how long ago its worker last beat
   * @param stale whether that is longer than the threshold
   * @param cancelHref its cancel confirmation page
   */
  public record Running(
      String id,
      String href,
      String lane,
      String worker,
      String heartbeat,
      boolean stale,
      String cancelHref) {}
}
