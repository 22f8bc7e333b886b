package dev.tollgate.core.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CommitInfoTest {
  private static final String ID = "9fceb02d0ae598e95dc970b74767f19372d61af8";

  @Test
  void abbreviates_an_id_to_its_first_seven_characters() {
    assertThat(CommitInfo.abbreviate(ID)).isEqualTo("9fceb02");
    assertThat(new CommitInfo(ID, "s", "m", "a", Instant.EPOCH).abbreviated()).isEqualTo("9fceb02");
  }

  @Test
  void leaves_a_short_id_as_it_is() {
    assertThat(CommitInfo.abbreviate("9fceb02")).isEqualTo("9fceb02");
    assertThat(CommitInfo.abbreviate("abc")).isEqualTo("abc");
    assertThat(CommitInfo.abbreviate("")).isEmpty();
  }
}
