package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The evaluator of a {@link WindowSpec}: says whether a deploy may start at an instant, when the
 * open period ends, and when the environment opens next.
 *
 * <p>Rules: an instant is open when no deny window covers it and, if any allow window is declared,
 * an allow window covers it; with no windows at all it is always open. A window covers its start
 * and not its end. A recurring window starts at each local time its cron matches in the spec's zone
 * (see {@link Occurrences} for DST gaps and overlaps) and lasts its duration of elapsed time, so a
 * 22:00 window of 4h is open at 01:00 the next day, and a window longer than its cron period stays
 * open across occurrences. Back-to-back or overlapping allow windows form one open period.
 *
 * <p>Instances are immutable and thread-safe; nothing reads a clock.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class DeployWindows {
  /** How far ahead {@link #evaluate} looks for the next opening before it reports none. */
  public static final Duration HORIZON = Duration.ofDays(2 * 366);

  private static final int MAX_HOPS = 10_000;

  private final WindowSpec spec;
  private final Map<Window, Occurrences> occurrences = new IdentityHashMap<>();

  private DeployWindows(WindowSpec spec) {
    this.spec = spec;
    for (Window w : concat(spec.allow(), spec.deny())) {
      if (w instanceof Window.Recurring r) {
        occurrences.put(w, new Occurrences(r, spec.timezone()));
      }
    }
  }

  /** The evaluator of {@code spec}. */
  public static DeployWindows of(WindowSpec spec) {
    return new DeployWindows(Objects.requireNonNull(spec, "spec"));
  }

  /** The spec evaluated. */
  public WindowSpec spec() {
    return spec;
  }

  /** Whether a deploy may start at {@code t}, ignoring the runway. */
  public boolean openAt(Instant t) {
    Objects.requireNonNull(t, "t");
    return coveringEnd(spec.deny(), t).isEmpty()
        && (spec.allow().isEmpty() || coveringEnd(spec.allow(), t).isPresent());
  }

  /**
   * The first instant at or after {@code now} at which the environment is closed: {@code now}
   * itself when it is closed, the end of the open period otherwise; empty when nothing closes it
   * (no allow windows and no deny window ahead, or an open period longer than {@link #HORIZON}). A
   * running deploy compares this with its progress to apply {@link WindowSpec#onClose()}.
   */
  public Optional<Instant> closesAfter(Instant now) {
    Objects.requireNonNull(now, "now");
    if (!openAt(now)) {
      return Optional.of(now);
    }
    Optional<Instant> allowEnd = Optional.empty();
    if (!spec.allow().isEmpty()) {
      Instant t = now;
      Instant limit = now.plus(HORIZON);
      for (int i = 0; i < MAX_HOPS && t.isBefore(limit); i++) {
        Optional<Instant> end = coveringEnd(spec.allow(), t);
        if (end.isEmpty()) {
          allowEnd = Optional.of(t);
          break;
        }
        t = end.get();
      }
    }
    Optional<Instant> denyStart = earliestStartAfter(spec.deny(), now);
    return min(allowEnd, denyStart);
  }

  /**
   * Whether a deploy expected to take {@code expectedDuration} may start at {@code now}: {@link
   * WindowDecision.Closed} when no window allows it, {@link WindowDecision.NoRunway} when the open
   * period ends before {@code now} plus the longer of the runway and {@code expectedDuration}, else
   * {@link WindowDecision.Open}. A deploy that would end exactly when the window closes fits.
   */
  public WindowDecision evaluate(Instant now, Duration expectedDuration) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(expectedDuration, "expectedDuration");
    if (expectedDuration.isNegative()) {
      throw new IllegalArgumentException(
          "expectedDuration must not be negative but was " + expectedDuration);
    }
    if (!openAt(now)) {
      return new WindowDecision.Closed(closedReason(now), nextOpen(now));
    }
    Optional<Instant> closesAt = closesAfter(now);
    Duration needed =
        spec.runway().compareTo(expectedDuration) >= 0 ? spec.runway() : expectedDuration;
    if (closesAt.isPresent() && !needed.isZero() && now.plus(needed).isAfter(closesAt.get())) {
      return new WindowDecision.NoRunway(closesAt.get(), needed);
    }
    return new WindowDecision.Open(closesAt, openReason(now));
  }

  /** The first instant at or after {@code t} at which a deploy may start, within the horizon. */
  public Optional<Instant> nextOpen(Instant t) {
    Objects.requireNonNull(t, "t");
    Instant limit = t.plus(HORIZON);
    Instant cursor = t;
    for (int i = 0; i < MAX_HOPS && !cursor.isAfter(limit); i++) {
      Optional<Instant> denyEnd = coveringEnd(spec.deny(), cursor);
      if (denyEnd.isPresent()) {
        cursor = denyEnd.get();
        continue;
      }
      if (!spec.allow().isEmpty() && coveringEnd(spec.allow(), cursor).isEmpty()) {
        Optional<Instant> start = earliestStartAfter(spec.allow(), cursor);
        if (start.isEmpty()) {
          return Optional.empty();
        }
        cursor = start.get();
        continue;
      }
      return Optional.of(cursor);
    }
    return Optional.empty();
  }

  /**
   * A description of a window for messages, e.g. {@code deny: Friday freeze (...) Europe/Berlin}.
   */
  public String describe(Window w) {
    String kind = spec.deny().contains(w) ? "deny" : "allow";
    return kind + ": " + w.describe() + ", " + spec.timezone().getId();
  }

  /** The deny windows covering {@code t}. */
  public List<Window> denying(Instant t) {
    return spec.deny().stream().filter(w -> end(w, t).isPresent()).toList();
  }

  /** The allow windows covering {@code t}. */
  public List<Window> allowing(Instant t) {
    return spec.allow().stream().filter(w -> end(w, t).isPresent()).toList();
  }

  private String closedReason(Instant now) {
    List<Window> denying = denying(now);
    if (!denying.isEmpty()) {
      return describe(denying.get(0));
    }
    List<String> allows = spec.allow().stream().map(Window::describe).toList();
    return "outside every allow window ("
        + String.join("; ", allows)
        + ", "
        + spec.timezone().getId()
        + ")";
  }

  private String openReason(Instant now) {
    if (spec.allow().isEmpty() && spec.deny().isEmpty()) {
      return "no deploy windows are declared, so deploys may start at any time";
    }
    List<Window> allowing = allowing(now);
    if (allowing.isEmpty()) {
      return "no deny window applies and no allow window is declared";
    }
    String runway = spec.runway().isZero() ? "" : " with runway " + Durations.format(spec.runway());
    return "inside " + describe(allowing.get(0)) + runway;
  }

  /** The latest end among the windows of {@code windows} covering {@code t}. */
  private Optional<Instant> coveringEnd(List<Window> windows, Instant t) {
    Optional<Instant> best = Optional.empty();
    for (Window w : windows) {
      Optional<Instant> e = end(w, t);
      if (e.isPresent() && (best.isEmpty() || e.get().isAfter(best.get()))) {
        best = e;
      }
    }
    return best;
  }

  /** The end of {@code w}'s period covering {@code t}, if it covers {@code t}. */
  private Optional<Instant> end(Window w, Instant t) {
    if (w instanceof Window.OneOff o) {
      return !t.isBefore(o.start()) && t.isBefore(o.end())
          ? Optional.of(o.end())
          : Optional.empty();
    }
    Window.Recurring r = (Window.Recurring) w;
    // The latest start at or before t has the latest end, so it alone decides coverage, even for a
    // window longer than its cron period.
    return occurrences
        .get(w)
        .latestAtOrBefore(t)
        .map(s -> s.plus(r.duration()))
        .filter(e -> e.isAfter(t));
  }

  private Optional<Instant> earliestStartAfter(List<Window> windows, Instant t) {
    Optional<Instant> best = Optional.empty();
    for (Window w : windows) {
      Optional<Instant> s =
          w instanceof Window.OneOff o
              ? Optional.of(o.start()).filter(x -> x.isAfter(t))
              : occurrences.get(w).earliestAfter(t);
      best = min(best, s);
    }
    return best;
  }

  private static Optional<Instant> min(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) return b;
    if (b.isEmpty()) return a;
    return a.get().isBefore(b.get()) ? a : b;
  }

  private static List<Window> concat(List<Window> a, List<Window> b) {
    List<Window> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
