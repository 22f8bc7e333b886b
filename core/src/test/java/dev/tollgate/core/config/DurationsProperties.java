package dev.tollgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

class DurationsProperties {

  @Property(tries = 500)
  void format_then_parse_gives_the_same_duration(
      @ForAll @LongRange(min = 0, max = 365L * 24 * 3_600_000) long millis) {
    Duration d = Duration.ofMillis(millis);
    assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
  }

  @Property(tries = 1000)
  void parse_throws_nothing_but_illegal_argument_exception(@ForAll("durationish") String text) {
    try {
      Duration d = Durations.parse(text);
      assertThat(d.isNegative()).isFalse();
      assertThat(d).isLessThanOrEqualTo(Durations.MAX);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).contains("duration");
    }
  }

  @Provide
  Arbitrary<String> durationish() {
    Arbitrary<String> tokens =
        Arbitraries.oneOf(
            Arbitraries.of("h", "m", "s", "ms", "us", " ", "-", "+", ".", "1", "0", "99", "x"),
            Arbitraries.longs().between(0, Long.MAX_VALUE).map(String::valueOf),
            Arbitraries.strings().ofMaxLength(3));
    return tokens.list().ofMaxSize(8).map(l -> String.join("", l));
  }
}
