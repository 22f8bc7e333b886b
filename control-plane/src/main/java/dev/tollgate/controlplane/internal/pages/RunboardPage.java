package dev.tollgate.controlplane.internal.pages;

import java.util.List;

/**
 * The runboard: lanes with their depth, the running runs with their heartbeat, and the newest runs
 * (one keyset page).
 *
 * @param frame the frame
 * @param lanes one line per lane: name, queued, runnable, oldest wait
 * @param running the running runs
 * @param recent the newest runs matching the filter
 * @param older the link to the next (older) page, or empty
 * @param status the status filter, or empty
 * @param lane the lane filter, or empty
 */
public record RunboardPage(
    Frame frame,
    List<LaneRow> lanes,
    List<Running> running,
    List<RunRow> recent,
    String older,
    String status,
    String lane) {

  /**
   * A lane's depth.
   *
   * @param lane the lane
   * @param queued runs waiting
   * @param runnable of those, runs available now
   * @param oldest how long the oldest has waited
   */
  public record LaneRow(String lane, long queued, long runnable, String oldest) {}

  /**
   * A running run.
   *
   * @param id its id
   * @param href its page
   * @param lane its lane
   * @param worker the worker running it
   * @param heartbeat how long ago its worker last beat
   * @param stale whether that is longer than the threshold
   */
  public record Running(
      String id, String href, String lane, String worker, String heartbeat, boolean stale) {}
}
