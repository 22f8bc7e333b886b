package dev.tollgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void reads_each_unit_and_combinations() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1m30s500ms")).isEqualTo(Duration.ofMillis(90_500));
    assertThat(Durations.parse("90m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
  }

  @Test
  void rejects_with_the_reason_and_examples() {
    assertThatThrownBy(() -> Durations.parse("30"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "'30' is not a duration: '30' has no unit (ms, s, m or h); e.g. 500ms, 2s, 5m, 1h or"
                + " 1h30m");
    assertThatThrownBy(() -> Durations.parse("5 minutes"))
        .hasMessage(
            "'5 minutes' is not a duration: ' minutes' is not a unit; use ms, s, m or h; e.g."
                + " 500ms, 2s, 5m, 1h or 1h30m");
    assertThatThrownBy(() -> Durations.parse("30m1h"))
        .hasMessage(
            "'30m1h' is not a duration: units must go from largest to smallest, each at most"
                + " once; e.g. 500ms, 2s, 5m, 1h or 1h30m");
    assertThatThrownBy(() -> Durations.parse("-5s"))
        .hasMessage(
            "'-5s' is not a duration: expected a number at position 1; e.g. 500ms, 2s, 5m, 1h or"
                + " 1h30m");
    assertThatThrownBy(() -> Durations.parse("1.5h"))
        .hasMessageStartingWith("'1.5h' is not a duration: '.' is not a unit");
    assertThatThrownBy(() -> Durations.parse(""))
        .hasMessage("a duration must not be empty; e.g. 500ms, 2s, 5m, 1h or 1h30m");
    assertThatThrownBy(() -> Durations.parse("9000h"))
        .hasMessage("'9000h' is longer than the longest duration allowed, 8760h");
  }

  @Test
  void formats_the_shortest_text() {
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(Durations.format(Duration.ofMillis(2500))).isEqualTo("2s500ms");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofHours(30))).isEqualTo("30h");
  }
}
