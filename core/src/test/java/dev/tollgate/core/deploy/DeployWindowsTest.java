package dev.tollgate.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeployWindowsTest {
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  static Window cron(String cron, String duration) {
    return new Window.Recurring(
        Optional.empty(), cron, dev.tollgate.core.config.Durations.parse(duration));
  }

  static DeployWindows windows(
      ZoneId zone, List<Window> allow, List<Window> deny, Duration runway) {
    return DeployWindows.of(new WindowSpec(zone, allow, deny, runway, WindowSpec.OnClose.FINISH));
  }

  static Instant at(ZoneId zone, String local) {
    return ZonedDateTime.of(LocalDateTime.parse(local), zone).toInstant();
  }

  @Test
  void no_windows_means_always_open_with_no_closing_time() {
    DeployWindows w = DeployWindows.of(WindowSpec.ALWAYS_OPEN);
    WindowDecision d = w.evaluate(Instant.parse("2026-03-06T15:00:00Z"), Duration.ofHours(5));
    assertThat(d).isInstanceOf(WindowDecision.Open.class);
    assertThat(((WindowDecision.Open) d).closesAt()).isEmpty();
  }

  @Test
  void allow_window_start_is_included_and_end_is_excluded() {
    DeployWindows w = windows(BERLIN, List.of(cron("0 9 * * *", "8h")), List.of(), Duration.ZERO);
    assertThat(w.openAt(at(BERLIN, "2026-06-10T08:59:59"))).isFalse();
    assertThat(w.openAt(at(BERLIN, "2026-06-10T09:00"))).isTrue();
    assertThat(w.openAt(at(BERLIN, "2026-06-10T16:59:59"))).isTrue();
    assertThat(w.openAt(at(BERLIN, "2026-06-10T17:00"))).isFalse();
  }

  @Test
  void closed_decision_names_the_next_opening() {
    DeployWindows w = windows(BERLIN, List.of(cron("0 9 * * *", "8h")), List.of(), Duration.ZERO);
    WindowDecision d = w.evaluate(at(BERLIN, "2026-06-10T18:00"), Duration.ZERO);
    assertThat(d).isInstanceOf(WindowDecision.Closed.class);
    assertThat(((WindowDecision.Closed) d).nextOpen()).contains(at(BERLIN, "2026-06-11T09:00"));
    assertThat(d.reason()).contains("outside every allow window").contains("Europe/Berlin");
  }

  @Test
  void deny_beats_allow() {
    Window freeze =
        new Window.Recurring(Optional.of("Friday freeze"), "0 16 * * 5", Duration.ofHours(64));
    DeployWindows w =
        windows(BERLIN, List.of(cron("0 8 * * 1-5", "10h")), List.of(freeze), Duration.ZERO);
    // Friday 2026-06-12 16:30: the allow window runs until 18:00 but the freeze has begun.
    Instant friday = at(BERLIN, "2026-06-12T16:30");
    assertThat(w.openAt(friday)).isFalse();
    WindowDecision d = w.evaluate(friday, Duration.ZERO);
    assertThat(d.reason())
        .isEqualTo("deny: Friday freeze (cron '0 16 * * 5' for 64h), Europe/Berlin");
    assertThat(((WindowDecision.Closed) d).nextOpen()).contains(at(BERLIN, "2026-06-15T08:00"));
    // Before the freeze the allow window closes early, at the freeze's start.
    assertThat(w.closesAfter(at(BERLIN, "2026-06-12T10:00")))
        .contains(at(BERLIN, "2026-06-12T16:00"));
  }

  @Test
  void window_across_midnight_is_open_the_next_morning() {
    DeployWindows w = windows(BERLIN, List.of(cron("0 22 * * *", "4h")), List.of(), Duration.ZERO);
    assertThat(w.openAt(at(BERLIN, "2026-06-11T01:00"))).isTrue();
    assertThat(w.openAt(at(BERLIN, "2026-06-11T02:00"))).isFalse();
    assertThat(w.closesAfter(at(BERLIN, "2026-06-11T01:00")))
        .contains(at(BERLIN, "2026-06-11T02:00"));
  }

  @Test
  void window_longer_than_its_cron_period_stays_open_across_occurrences() {
    DeployWindows w = windows(BERLIN, List.of(cron("0 0 * * *", "36h")), List.of(), Duration.ZERO);
    assertThat(w.openAt(at(BERLIN, "2026-06-11T23:00"))).isTrue();
    assertThat(w.closesAfter(at(BERLIN, "2026-06-11T23:00"))).isEmpty();
    DeployWindows monday =
        windows(BERLIN, List.of(cron("0 6 * * 1", "30h")), List.of(), Duration.ZERO);
    // Monday 2026-06-15 06:00 + 30h = Tuesday 12:00.
    assertThat(monday.openAt(at(BERLIN, "2026-06-16T11:59"))).isTrue();
    assertThat(monday.openAt(at(BERLIN, "2026-06-16T12:00"))).isFalse();
  }

  @Test
  void runway_refuses_a_start_that_cannot_finish_before_the_window_closes() {
    DeployWindows w =
        windows(BERLIN, List.of(cron("0 9 * * *", "8h")), List.of(), Duration.ofMinutes(30));
    WindowDecision late = w.evaluate(at(BERLIN, "2026-06-10T16:31"), Duration.ZERO);
    assertThat(late)
        .isEqualTo(
            new WindowDecision.NoRunway(at(BERLIN, "2026-06-10T17:00"), Duration.ofMinutes(30)));
    assertThat(w.evaluate(at(BERLIN, "2026-06-10T16:30"), Duration.ZERO))
        .isInstanceOf(WindowDecision.Open.class);
    WindowDecision longDeploy = w.evaluate(at(BERLIN, "2026-06-10T16:00"), Duration.ofHours(2));
    assertThat(longDeploy)
        .isEqualTo(
            new WindowDecision.NoRunway(at(BERLIN, "2026-06-10T17:00"), Duration.ofHours(2)));
  }

  @Test
  void runway_counts_the_next_deny_window_when_no_allow_window_is_declared() {
    Window deny = cron("0 18 * * *", "2h");
    DeployWindows w = windows(NEW_YORK, List.of(), List.of(deny), Duration.ofMinutes(20));
    assertThat(w.evaluate(at(NEW_YORK, "2026-06-10T17:45"), Duration.ZERO))
        .isInstanceOf(WindowDecision.NoRunway.class);
    WindowDecision ok = w.evaluate(at(NEW_YORK, "2026-06-10T17:30"), Duration.ZERO);
    assertThat(ok).isInstanceOf(WindowDecision.Open.class);
    assertThat(((WindowDecision.Open) ok).closesAt()).contains(at(NEW_YORK, "2026-06-10T18:00"));
  }

  @Test
  void one_off_deny_window_with_local_times_uses_the_spec_zone() {
    Window yearEnd =
        new Window.OneOff(
            Optional.of("year end"),
            at(BERLIN, "2026-12-20T00:00"),
            at(BERLIN, "2027-01-05T00:00"));
    DeployWindows w = windows(BERLIN, List.of(), List.of(yearEnd), Duration.ZERO);
    assertThat(w.openAt(at(BERLIN, "2026-12-19T23:59"))).isTrue();
    assertThat(w.openAt(at(BERLIN, "2026-12-20T00:00"))).isFalse();
    assertThat(w.openAt(at(BERLIN, "2027-01-05T00:00"))).isTrue();
    WindowDecision d = w.evaluate(at(BERLIN, "2026-12-24T12:00"), Duration.ZERO);
    assertThat(((WindowDecision.Closed) d).nextOpen()).contains(at(BERLIN, "2027-01-05T00:00"));
  }

  @Test
  void one_off_allow_window_opens_only_between_its_instants() {
    Window once =
        new Window.OneOff(
            Optional.empty(),
            Instant.parse("2026-07-01T10:00:00Z"),
            Instant.parse("2026-07-01T12:00:00Z"));
    DeployWindows w = windows(BERLIN, List.of(once), List.of(), Duration.ZERO);
    assertThat(w.openAt(Instant.parse("2026-07-01T11:00:00Z"))).isTrue();
    assertThat(w.evaluate(Instant.parse("2026-07-02T11:00:00Z"), Duration.ZERO))
        .isEqualTo(
            new WindowDecision.Closed(
                "outside every allow window (2026-07-01T10:00:00Z–2026-07-01T12:00:00Z,"
                    + " Europe/Berlin)",
                Optional.empty()));
  }

  // DST. Berlin: spring forward 2026-03-29 02:00 -> 03:00, fall back 2026-10-25 03:00 -> 02:00.
  // New York: spring forward 2026-03-08 02:00 -> 03:00, fall back 2026-11-01 02:00 -> 01:00.

  @Test
  void spring_forward_occurrence_in_the_gap_starts_at_the_shifted_instant_in_berlin() {
    DeployWindows w = windows(BERLIN, List.of(cron("30 2 * * *", "1h")), List.of(), Duration.ZERO);
    // 02:30 does not exist on 2026-03-29; the window starts at 03:30 CEST (01:30Z).
    assertThat(w.openAt(Instant.parse("2026-03-29T01:29:59Z"))).isFalse();
    assertThat(w.openAt(Instant.parse("2026-03-29T01:30:00Z"))).isTrue();
    assertThat(w.closesAfter(Instant.parse("2026-03-29T01:30:00Z")))
        .contains(Instant.parse("2026-03-29T02:30:00Z"));
    assertThat(w.nextOpen(Instant.parse("2026-03-28T12:00:00Z")))
        .contains(Instant.parse("2026-03-29T01:30:00Z"));
  }

  @Test
  void spring_forward_occurrence_in_the_gap_starts_at_the_shifted_instant_in_new_york() {
    DeployWindows w =
        windows(NEW_YORK, List.of(cron("30 2 * * *", "1h")), List.of(), Duration.ZERO);
    // 02:30 does not exist on 2026-03-08; 03:30 EDT = 07:30Z.
    assertThat(w.openAt(Instant.parse("2026-03-08T07:29:00Z"))).isFalse();
    assertThat(w.openAt(Instant.parse("2026-03-08T07:30:00Z"))).isTrue();
    assertThat(w.openAt(Instant.parse("2026-03-08T08:30:00Z"))).isFalse();
    // The day before, 02:30 EST = 07:30Z as usual.
    assertThat(w.openAt(Instant.parse("2026-03-07T07:30:00Z"))).isTrue();
  }

  @Test
  void fall_back_occurrence_in_the_overlap_starts_once_at_the_first_instant_in_berlin() {
    DeployWindows w = windows(BERLIN, List.of(cron("30 2 * * *", "30m")), List.of(), Duration.ZERO);
    // 02:30 happens twice on 2026-10-25: 00:30Z (CEST) and 01:30Z (CET). Only the first counts.
    assertThat(w.openAt(Instant.parse("2026-10-25T00:30:00Z"))).isTrue();
    assertThat(w.openAt(Instant.parse("2026-10-25T00:59:59Z"))).isTrue();
    assertThat(w.openAt(Instant.parse("2026-10-25T01:30:00Z"))).isFalse();
    assertThat(w.nextOpen(Instant.parse("2026-10-25T01:00:00Z")))
        .contains(Instant.parse("2026-10-26T01:30:00Z"));
  }

  @Test
  void fall_back_occurrence_in_the_overlap_starts_once_at_the_first_instant_in_new_york() {
    DeployWindows w =
        windows(NEW_YORK, List.of(cron("30 1 * * *", "1h")), List.of(), Duration.ZERO);
    // 01:30 happens at 05:30Z (EDT) and 06:30Z (EST) on 2026-11-01; the window is 05:30Z–06:30Z.
    assertThat(w.openAt(Instant.parse("2026-11-01T05:30:00Z"))).isTrue();
    // Second 01:10 (EST) is 06:10Z, still inside the first occurrence's hour.
    assertThat(w.openAt(Instant.parse("2026-11-01T06:10:00Z"))).isTrue();
    assertThat(w.openAt(Instant.parse("2026-11-01T06:30:00Z"))).isFalse();
    assertThat(w.openAt(Instant.parse("2026-11-01T07:00:00Z"))).isFalse();
  }

  @Test
  void duration_is_elapsed_time_across_a_dst_change() {
    DeployWindows w = windows(BERLIN, List.of(cron("0 22 * * *", "6h")), List.of(), Duration.ZERO);
    // 2026-10-24 22:00 CEST = 20:00Z; six hours later is 02:00Z = 03:00 CET (wall clock shows 5h).
    assertThat(w.closesAfter(Instant.parse("2026-10-24T21:00:00Z")))
        .contains(Instant.parse("2026-10-25T02:00:00Z"));
  }

  @Test
  void deny_window_in_new_york_follows_local_time_across_the_change() {
    Window nightly = cron("0 0 * * *", "1h");
    DeployWindows w = windows(NEW_YORK, List.of(), List.of(nightly), Duration.ZERO);
    // Midnight is 05:00Z in winter and 04:00Z in summer.
    assertThat(w.openAt(Instant.parse("2026-03-07T05:30:00Z"))).isFalse();
    assertThat(w.openAt(Instant.parse("2026-03-09T04:30:00Z"))).isFalse();
    assertThat(w.openAt(Instant.parse("2026-03-09T05:30:00Z"))).isTrue();
  }
}
