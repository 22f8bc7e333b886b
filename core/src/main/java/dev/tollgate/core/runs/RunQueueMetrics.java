package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The figures of {@code tollgate runs stats} as Micrometer meters, for a service that embeds the
 * queue and already has Micrometer (an optional dependency: this class is only loaded when used).
 *
 * <p>Meters: {@code tollgate.queue.depth} and {@code tollgate.queue.runnable} per {@code lane},
 * {@code tollgate.runs.running}, {@code tollgate.runs.heartbeat.oldest.age} (seconds), {@code
 * tollgate.runs.stuck.24h}, {@code tollgate.runs.recovery.success.rate} and {@code
 * tollgate.runs.recovery.time.mean} (seconds). The statistics are read at most once per {@code
 * refreshEvery}, whatever the scrape rate.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class RunQueueMetrics implements MeterBinder {

  private final RunQueue queue;
  private final Duration refreshEvery;
  private MultiGauge depth;
  private MultiGauge runnable;
  private QueueStats stats;
  private long readAt;

  /** Meters over {@code queue}, refreshed at most every {@code refreshEvery}. */
  public RunQueueMetrics(RunQueue queue, Duration refreshEvery) {
    this.queue = Objects.requireNonNull(queue, "queue");
    if (refreshEvery == null || refreshEvery.isNegative()) {
      throw new IllegalArgumentException("refreshEvery must not be negative, got " + refreshEvery);
    }
    this.refreshEvery = refreshEvery;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    depth =
        MultiGauge.builder("tollgate.queue.depth").description("Queued runs").register(registry);
    runnable =
        MultiGauge.builder("tollgate.queue.runnable")
            .description("Queued runs whose backoff is over")
            .register(registry);
    Gauge.builder("tollgate.runs.running", this, m -> m.stats().running().size())
        .description("Running runs")
        .register(registry);
    Gauge.builder(
            "tollgate.runs.heartbeat.oldest.age",
            this,
            m ->
                m.stats().running().stream()
                    .mapToDouble(r -> r.heartbeatAge().toMillis() / 1000.0)
                    .max()
                    .orElse(0))
        .baseUnit("seconds")
        .description("Age of the oldest heartbeat of a running run")
        .register(registry);
    Gauge.builder(
            "tollgate.runs.stuck.24h",
            this,
            m -> m.stats().stuckPerHour().stream().mapToLong(QueueStats.HourCount::count).sum())
        .description("Runs swept from dead workers in the last 24 hours")
        .register(registry);
    Gauge.builder("tollgate.runs.recovery.success.rate", this, m -> m.stats().recoverySuccessRate())
        .description("Share of requeued runs that later succeeded (last 24 hours)")
        .register(registry);
    Gauge.builder(
            "tollgate.runs.recovery.time.mean",
            this,
            m -> {
              Duration d = m.stats().meanTimeToRecovery();
              return d == null ? Double.NaN : d.toMillis() / 1000.0;
            })
        .baseUnit("seconds")
        .description("Mean time from a dead worker's last heartbeat to the run's next claim")
        .register(registry);
    refresh();
  }

  /** Reads the statistics now and updates the per-lane gauges. */
  public synchronized QueueStats refresh() {
    stats = queue.stats();
    readAt = System.nanoTime();
    if (depth != null) {
      List<QueueStats.LaneDepth> lanes = stats.lanes();
      depth.register(
          lanes.stream()
              .map(l -> MultiGauge.Row.of(Tags.of("lane", l.lane()), l.queued()))
              .toList(),
          true);
      runnable.register(
          lanes.stream()
              .map(l -> MultiGauge.Row.of(Tags.of("lane", l.lane()), l.runnable()))
              .toList(),
          true);
    }
    return stats;
  }

  private synchronized QueueStats stats() {
    if (stats == null || System.nanoTime() - readAt > refreshEvery.toNanos()) {
      return refresh();
    }
    return stats;
  }
}
