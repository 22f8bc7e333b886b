package dev.tollgate.core.runs.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.runs.step.Secrets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

class SecretsProperties {

  @Property(tries = 500)
  void masked_text_never_contains_the_secret(
      @ForAll @StringLength(min = 3, max = 12) String secret,
      @ForAll String before,
      @ForAll String after) {
    Secrets s = Secrets.of(List.of(secret));
    assertThat(s.mask(before + secret + after)).doesNotContain(secret);
  }

  @Property(tries = 500)
  void cutting_at_the_safe_cut_never_splits_a_secret(
      @ForAll @StringLength(min = 2, max = 8) String secret,
      @ForAll @StringLength(max = 20) String before,
      @ForAll @StringLength(max = 20) String after,
      @ForAll @IntRange(min = 0, max = 50) int preferred) {
    Secrets s = Secrets.of(List.of(secret));
    String text = before + secret + after;
    int cut = s.safeCut(text, preferred);
    assertThat(cut).isBetween(Math.min(preferred, text.length()), text.length());
    String masked = s.mask(text.substring(0, cut)) + s.mask(text.substring(cut));
    assertThat(masked).doesNotContain(secret);
  }
}
