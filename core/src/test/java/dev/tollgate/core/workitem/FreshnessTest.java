package dev.tollgate.core.workitem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FreshnessTest {
  static final Instant NOW = Instant.parse("2026-03-14T12:00:00Z");
  static final String COMMIT = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";

  @Test
  void a_commit_within_the_threshold_is_fresh_and_one_beyond_it_is_stale() {
    Duration week = Duration.ofDays(7);
    Freshness fresh = Freshness.assess(ItemSnapshot.commit(NOW.minus(week), COMMIT), NOW, week);
    assertThat(fresh.verdict()).isEqualTo(Freshness.Verdict.FRESH);
    assertThat(fresh.age()).isEqualTo(week);
    assertThat(fresh.reason())
        .isEqualTo("the last commit changing the file, 1a2b3c4, is within 7d");

    Freshness stale =
        Freshness.assess(ItemSnapshot.commit(NOW.minus(week).minusSeconds(1), COMMIT), NOW, week);
    assertThat(stale.verdict()).isEqualTo(Freshness.Verdict.STALE);
    assertThat(stale.reason())
        .isEqualTo("the last commit changing the file, 1a2b3c4, is older than 7d");
  }

  @Test
  void an_uncommitted_change_is_judged_by_its_file_time() {
    Freshness f =
        Freshness.assess(
            ItemSnapshot.uncommittedChange(NOW.minusSeconds(90)), NOW, Duration.ofHours(1));
    assertThat(f.verdict()).isEqualTo(Freshness.Verdict.FRESH);
    assertThat(f.reason()).isEqualTo("the file has changes no commit holds yet, written within 1h");
    Freshness old =
        Freshness.assess(
            ItemSnapshot.uncommittedChange(NOW.minus(Duration.ofDays(2))),
            NOW,
            Duration.ofHours(36));
    assertThat(old.verdict()).isEqualTo(Freshness.Verdict.STALE);
    assertThat(old.reason())
        .isEqualTo("the file has changes no commit holds yet, last written more than 1d 12h ago");
  }

  @Test
  void a_file_modified_time_alone_is_unknown_however_old_or_new() {
    for (Duration age : new Duration[] {Duration.ZERO, Duration.ofDays(400)}) {
      Freshness f =
          Freshness.assess(
              ItemSnapshot.fileModifiedTime(NOW.minus(age)), NOW, Freshness.DEFAULT_STALE_AFTER);
      assertThat(f.verdict()).isEqualTo(Freshness.Verdict.UNKNOWN);
      assertThat(f.age()).isEqualTo(age);
    }
  }

  @Test
  void a_shallow_boundary_can_prove_stale_but_never_fresh() {
    Duration week = Duration.ofDays(7);
    Freshness recent =
        Freshness.assess(ItemSnapshot.shallowBoundary(NOW.minusSeconds(60), COMMIT), NOW, week);
    assertThat(recent.verdict()).isEqualTo(Freshness.Verdict.UNKNOWN);
    assertThat(recent.reason()).contains("shallow clone").contains("fetch-depth: 0");
    Freshness old =
        Freshness.assess(
            ItemSnapshot.shallowBoundary(NOW.minus(Duration.ofDays(30)), COMMIT), NOW, week);
    assertThat(old.verdict()).isEqualTo(Freshness.Verdict.STALE);
  }

  @Test
  void a_snapshot_in_the_future_has_age_zero_and_times_are_to_the_second() {
    Freshness f =
        Freshness.assess(
            ItemSnapshot.commit(NOW.plusSeconds(30).plusMillis(700), COMMIT),
            NOW.plusMillis(400),
            Duration.ofMinutes(5));
    assertThat(f.age()).isZero();
    assertThat(f.ageText()).isEqualTo("0s");
    assertThat(f.snapshotAt()).isEqualTo(NOW.plusSeconds(30));
    assertThat(f.observedAt()).isEqualTo(NOW);
    assertThat(f.verdict()).isEqualTo(Freshness.Verdict.FRESH);
  }

  @Test
  void the_threshold_must_be_positive() {
    ItemSnapshot s = ItemSnapshot.commit(NOW, COMMIT);
    assertThatThrownBy(() -> Freshness.assess(s, NOW, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the freshness threshold must be positive but was 0s");
    assertThatThrownBy(() -> Freshness.assess(s, NOW, Duration.ofMinutes(-90)))
        .hasMessage("the freshness threshold must be positive but was -1h 30m");
  }

  @Test
  void a_snapshot_names_its_commit_exactly_when_it_is_read_from_one() {
    assertThatThrownBy(
            () -> new ItemSnapshot(NOW, ItemSnapshot.Basis.COMMIT, java.util.Optional.empty()))
        .hasMessage("a snapshot based on commit must name its commit");
    assertThatThrownBy(
            () ->
                new ItemSnapshot(
                    NOW, ItemSnapshot.Basis.FILE_MODIFIED_TIME, java.util.Optional.of(COMMIT)))
        .hasMessage("a snapshot based on file-modified-time must not name a commit");
  }

  @Test
  void durations_for_people_leave_out_zero_parts() {
    assertThat(Freshness.text(Duration.ofDays(7))).isEqualTo("7d");
    assertThat(Freshness.text(Duration.ofHours(36))).isEqualTo("1d 12h");
    assertThat(Freshness.text(Duration.ofMinutes(90))).isEqualTo("1h 30m");
    assertThat(Freshness.text(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(Freshness.text(Duration.ZERO)).isEqualTo("0s");
  }
}
