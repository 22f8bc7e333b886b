package dev.tollgate.core.deploy;

import com.cronutils.model.time.ExecutionTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * The start instants of a recurring window. Cron is matched against local wall-clock times, not
 * against instants, and each matching local time becomes one instant by {@link
 * ZonedDateTime#of(LocalDateTime, ZoneId)}'s rule: a local time in a DST gap moves forward by the
 * gap's length (02:30 on a spring-forward night starts at 03:30), a local time in a DST overlap
 * takes the earlier offset (01:30 on a fall-back night starts once, at the first 01:30).
 *
 * <p>cron-utils runs on a fixed UTC clock here so that its own DST handling never applies; this
 * class owns the mapping, which makes the semantics above the only ones.
 */
final class Occurrences {
  /**
   * How far local wall-clock time and instant order can disagree around a transition. Real zones
   * shift by at most a few hours at once; scanning this far either side never misses a start.
   */
  private static final long SLACK_HOURS = 3;

  /** How many cron occurrences one lookup may step over before it gives up. */
  private static final int MAX_STEPS = 20_000;

  private final ExecutionTime execution;
  private final ZoneId zone;

  /** The occurrences of {@code window} read in {@code zone}. */
  public Occurrences(Window.Recurring window, ZoneId zone) {
    this.execution = ExecutionTime.forCron(window.parsed());
    this.zone = zone;
  }

  /** The instant a local occurrence starts. */
  Instant toInstant(LocalDateTime local) {
    return ZonedDateTime.of(local, zone).toInstant();
  }

  /** The latest occurrence that starts at or before {@code t}, if any. */
  public Optional<Instant> latestAtOrBefore(Instant t) {
    LocalDateTime localT = LocalDateTime.ofInstant(t, zone);
    ZonedDateTime cursor = localT.plusHours(SLACK_HOURS).atZone(ZoneOffset.UTC);
    LocalDateTime stopBelow = localT.minusHours(SLACK_HOURS);
    Instant best = null;
    for (int i = 0; i < MAX_STEPS; i++) {
      Optional<ZonedDateTime> prev = execution.lastExecution(cursor);
      if (prev.isEmpty()) {
        break;
      }
      LocalDateTime local = prev.get().toLocalDateTime();
      Instant at = toInstant(local);
      if (!at.isAfter(t) && (best == null || at.isAfter(best))) {
        best = at;
      }
      if (best != null && local.isBefore(stopBelow)) {
        break;
      }
      cursor = prev.get();
    }
    return Optional.ofNullable(best);
  }

  /** The earliest occurrence that starts strictly after {@code t}, if any. */
  public Optional<Instant> earliestAfter(Instant t) {
    LocalDateTime localT = LocalDateTime.ofInstant(t, zone);
    ZonedDateTime cursor = localT.minusHours(SLACK_HOURS).atZone(ZoneOffset.UTC);
    LocalDateTime stopAbove = localT.plusHours(SLACK_HOURS);
    Instant best = null;
    for (int i = 0; i < MAX_STEPS; i++) {
      Optional<ZonedDateTime> next = execution.nextExecution(cursor);
      if (next.isEmpty()) {
        break;
      }
      LocalDateTime local = next.get().toLocalDateTime();
      Instant at = toInstant(local);
      if (at.isAfter(t) && (best == null || at.isBefore(best))) {
        best = at;
      }
      if (best != null && local.isAfter(stopAbove)) {
        break;
      }
      cursor = next.get();
    }
    return Optional.ofNullable(best);
  }
}
