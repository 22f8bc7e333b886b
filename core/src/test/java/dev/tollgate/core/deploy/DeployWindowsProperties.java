package dev.tollgate.core.deploy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class DeployWindowsProperties {
  static final List<ZoneId> ZONES =
      List.of(ZoneId.of("Europe/Berlin"), ZoneId.of("America/New_York"), ZoneId.of("UTC"));

  static final DeployWindows[] SPECS = {
    DeployWindows.of(
        new WindowSpec(
            ZONES.get(0),
            List.of(new Window.Recurring(Optional.empty(), "0 8 * * 1-5", Duration.ofHours(10))),
            List.of(
                new Window.Recurring(Optional.empty(), "0 16 * * 5", Duration.ofHours(64)),
                new Window.Recurring(Optional.empty(), "30 2 * * *", Duration.ofMinutes(45))),
            Duration.ofMinutes(15),
            WindowSpec.OnClose.FINISH)),
    DeployWindows.of(
        new WindowSpec(
            ZONES.get(1),
            List.of(new Window.Recurring(Optional.empty(), "0 22 * * *", Duration.ofHours(4))),
            List.of(new Window.Recurring(Optional.empty(), "30 1 * * 0", Duration.ofHours(1))),
            Duration.ZERO,
            WindowSpec.OnClose.FINISH)),
  };

  @Provide
  Arbitrary<Instant> instants() {
    // 2026 and 2027, both DST changes included, at minute resolution.
    return Arbitraries.longs()
        .between(
            Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() / 60,
            Instant.parse("2028-01-01T00:00:00Z").getEpochSecond() / 60)
        .map(m -> Instant.ofEpochSecond(m * 60));
  }

  @Property(tries = 300)
  boolean evaluateAllowsAStartExactlyWhenOpenAtSaysOpenWithoutRunway(
      @ForAll("instants") Instant t, @ForAll("specIndex") int i) {
    DeployWindows w = SPECS[i];
    WindowDecision d = w.evaluate(t, Duration.ZERO);
    boolean runwayRefused = d instanceof WindowDecision.NoRunway;
    return w.openAt(t) == (d.allowsStart() || runwayRefused)
        && (w.spec().runway().isZero() ? !runwayRefused : true);
  }

  @Property(tries = 300)
  boolean instantsCoveredByADenyWindowAreNeverOpen(
      @ForAll("instants") Instant t, @ForAll("specIndex") int i) {
    DeployWindows w = SPECS[i];
    return w.denying(t).isEmpty() || !w.openAt(t);
  }

  @Property(tries = 200)
  boolean nextOpenIsOpenAndNothingBeforeItIsOpen(
      @ForAll("instants") Instant t, @ForAll("specIndex") int i) {
    DeployWindows w = SPECS[i];
    Optional<Instant> next = w.nextOpen(t);
    if (next.isEmpty()) {
      return false;
    }
    if (!w.openAt(next.get())) {
      return false;
    }
    // Sample minutes between t and next: none may be open.
    for (Instant s = t; s.isBefore(next.get()); s = s.plus(Duration.ofMinutes(7))) {
      if (w.openAt(s)) {
        return false;
      }
    }
    return true;
  }

  @Property(tries = 200)
  boolean openPeriodStaysOpenUntilClosesAfter(
      @ForAll("instants") Instant t, @ForAll("specIndex") int i) {
    DeployWindows w = SPECS[i];
    if (!w.openAt(t)) {
      return w.closesAfter(t).equals(Optional.of(t));
    }
    Instant close = w.closesAfter(t).orElseThrow();
    return !w.openAt(close) && w.openAt(close.minusSeconds(1));
  }

  @Provide
  Arbitrary<Integer> specIndex() {
    return Arbitraries.integers().between(0, SPECS.length - 1);
  }
}
