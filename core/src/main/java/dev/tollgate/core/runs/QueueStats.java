package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Figures about the queue's health, read in one pass.
 *
 * @param lanes per lane: queued runs, runnable now, and the oldest queued run's age
 * @param running running runs with the age of their last heartbeat, oldest heartbeat first
 * @param stuckPerHour runs swept from a dead worker, per hour, over the last 24 hours (oldest
 *     first)
 * @param recoveries sweeps that requeued a run, over the last 24 hours
 * @param recoveredOk of those, how many runs later finished with success
 * @param meanTimeToRecovery mean time from the lost worker's last heartbeat to the run's next
 *     claim, or null when none
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record QueueStats(
    List<LaneDepth> lanes,
    List<RunningRun> running,
    List<HourCount> stuckPerHour,
    long recoveries,
    long recoveredOk,
    Duration meanTimeToRecovery) {

  /** Returns the fraction of requeued runs that later succeeded, or NaN when none were. */
  public double recoverySuccessRate() {
    return recoveries == 0 ? Double.NaN : (double) recoveredOk / recoveries;
  }

  /** Queue depth of one lane. */
  public record LaneDepth(String lane, long queued, long runnable, Duration oldestAge) {}

  /** A running run and how long ago its worker last heartbeated. */
  public record RunningRun(long runId, String lane, String workerId, Duration heartbeatAge) {}

  /** A count for one hour, the hour given as its start. */
  public record HourCount(java.time.Instant hour, long count) {}
}
