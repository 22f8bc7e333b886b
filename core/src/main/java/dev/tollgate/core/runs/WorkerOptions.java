package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apiguardian.api.API;

/**
 * How a {@link Worker} behaves, built with {@link #builder()}; every setter checks its input.
 *
 * @param workerId the id written on claimed runs
 * @param lanes the lanes it claims from
 * @param concurrency how many runs it executes at once
 * @param heartbeatInterval how often it heartbeats its runs (and learns of cancels)
 * @param staleAfter how old a heartbeat must be before its run is swept (at least 2 heartbeats)
 * @param pollInterval how often it looks for work when no notification arrives
 * @param sweep whether it also sweeps stale runs (every heartbeat interval)
 * @param gracePeriod how long a shutdown waits for running runs before releasing them
 * @param completionBatch how many completions are committed together (1 = one per run)
 * @param prefetch how many claimed runs may wait for a free slot, so a claim serves several runs
 *     (they are heartbeated while they wait); by default the concurrency, or the completion batch
 *     when completions are batched and it is larger, so that one claim's commit serves about as
 *     many runs as one completion's
 * @param databaseRetry how long a write the database could not take (a completion, a release,
 *     events, the worker's registration at start-up) is retried with backoff before the worker
 *     gives up on it; these writes are fenced by the lease, so repeating them is safe
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record WorkerOptions(
    String workerId,
    List<String> lanes,
    int concurrency,
    Duration heartbeatInterval,
    Duration staleAfter,
    Duration pollInterval,
    boolean sweep,
    Duration gracePeriod,
    int completionBatch,
    int prefetch,
    Duration databaseRetry) {

  /** The default heartbeat interval: 5 s. */
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);

  /** The default staleness bound: 15 s, three heartbeats. */
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(15);

  /** The default time a write is retried while the database cannot be reached: 5 minutes. */
  public static final Duration DEFAULT_DATABASE_RETRY = Duration.ofMinutes(5);

  /** Returns a builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder of {@link WorkerOptions}. */
  public static final class Builder {
    private String workerId;
    private List<String> lanes = List.of(NewRun.DEFAULT_LANE);
    private int concurrency = 1;
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT;
    private Duration staleAfter = DEFAULT_STALE_AFTER;
    private Duration pollInterval = Duration.ofSeconds(2);
    private boolean sweep = true;
    private Duration gracePeriod = Duration.ofSeconds(30);
    private int completionBatch = 1;
    private Integer prefetch;
    private Duration databaseRetry = DEFAULT_DATABASE_RETRY;

    private Builder() {}

    /**
     * Sets how many claimed runs may wait for a slot (default: the concurrency, or the completion
     * batch when that is larger than 1 and than the concurrency).
     */
    public Builder prefetch(int value) {
      if (value < 0 || value > 1000) {
        throw new IllegalArgumentException("prefetch must be in 0..1000, got " + value);
      }
      this.prefetch = value;
      return this;
    }

    /** Sets the worker id (default: host, pid and a random suffix). */
    public Builder workerId(String value) {
      if (value == null || value.isBlank() || value.length() > 200) {
        throw new IllegalArgumentException("worker id must be 1..200 characters, got " + value);
      }
      this.workerId = value;
      return this;
    }

    /** Sets the lanes (default {@code default}). */
    public Builder lanes(List<String> value) {
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException("a worker needs at least one lane");
      }
      for (String lane : value) {
        if (!NewRun.LANE.matcher(lane).matches()) {
          throw new IllegalArgumentException("lane: not a valid lane name: '" + lane + "'");
        }
      }
      this.lanes = List.copyOf(value);
      return this;
    }

    /** Sets how many runs execute at once (default 1). */
    public Builder concurrency(int value) {
      if (value < 1 || value > 1000) {
        throw new IllegalArgumentException("concurrency must be in 1..1000, got " + value);
      }
      this.concurrency = value;
      return this;
    }

    /** Sets the heartbeat interval (default 5 s). */
    public Builder heartbeatInterval(Duration value) {
      this.heartbeatInterval = positive(value, "heartbeat interval");
      return this;
    }

    /** Sets the staleness bound (default 15 s). */
    public Builder staleAfter(Duration value) {
      this.staleAfter = positive(value, "stale-after");
      return this;
    }

    /** Sets the polling interval (default 2 s). */
    public Builder pollInterval(Duration value) {
      this.pollInterval = positive(value, "poll interval");
      return this;
    }

    /** Sets whether the worker also sweeps (default true). */
    public Builder sweep(boolean value) {
      this.sweep = value;
      return this;
    }

    /** Sets the shutdown grace period (default 30 s). */
    public Builder gracePeriod(Duration value) {
      if (value == null || value.isNegative()) {
        throw new IllegalArgumentException("grace period must not be negative, got " + value);
      }
      this.gracePeriod = value;
      return this;
    }

    /** Sets how many completions are committed together (default 1). */
    public Builder completionBatch(int value) {
      if (value < 1 || value > 5000) {
        throw new IllegalArgumentException("completion batch must be in 1..5000, got " + value);
      }
      this.completionBatch = value;
      return this;
    }

    /**
     * Sets how long a write the database could not take is retried before the worker gives up on it
     * (default 5 minutes); zero gives up at the first failure.
     */
    public Builder databaseRetry(Duration value) {
      if (value == null || value.isNegative()) {
        throw new IllegalArgumentException("database retry must not be negative, got " + value);
      }
      this.databaseRetry = value;
      return this;
    }

    /**
     * Returns the options.
     *
     * @throws IllegalArgumentException when stale-after is shorter than two heartbeat intervals
     */
    public WorkerOptions build() {
      if (staleAfter.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
        throw new IllegalArgumentException(
            "stale-after ("
                + staleAfter
                + ") must be at least two heartbeat intervals ("
                + heartbeatInterval.multipliedBy(2)
                + "), or healthy runs would be swept");
      }
      String id = workerId;
      if (id == null) {
        String host;
        try {
          host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
          host = "host";
        }
        id =
            host
                + "-"
                + ProcessHandle.current().pid()
                + "-"
                + UUID.randomUUID().toString().substring(0, 8);
      }
      return new WorkerOptions(
          id,
          lanes,
          concurrency,
          heartbeatInterval,
          staleAfter,
          pollInterval,
          sweep,
          gracePeriod,
          completionBatch,
          prefetch != null
              ? prefetch
              : completionBatch > 1 ? Math.max(concurrency, completionBatch) : concurrency,
          databaseRetry);
    }

    private static Duration positive(Duration value, String what) {
      Objects.requireNonNull(value, what);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, got " + value);
      }
      return value;
    }
  }
}
