package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.actions.github.Sleeper;
import dev.tollgate.cli.common.DatabaseOptions;
import dev.tollgate.cli.common.OutputOptions;
import dev.tollgate.cli.common.Seams;
import dev.tollgate.cli.items.BoardOptions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandFactoryTest {
  private final Seams seams =
      new Seams(
          Clock.fixed(Instant.parse("2026-03-14T12:00:00Z"), ZoneOffset.UTC),
          Map.of("GITHUB_ACTOR", "octocat"),
          Sleeper.system());

  @Test
  void option_groups_with_a_seams_constructor_get_the_command_lines_seams() throws Exception {
    DatabaseOptions options = new CommandFactory(seams).create(DatabaseOptions.class);
    assertThat(options.clock().instant()).isEqualTo(Instant.parse("2026-03-14T12:00:00Z"));
    assertThat(options.environment()).containsEntry("GITHUB_ACTOR", "octocat");
    assertThat(new CommandFactory(seams).create(BoardOptions.class).clock())
        .isSameAs(seams.clock());
  }

  @Test
  void everything_else_is_made_as_picocli_makes_it() throws Exception {
    assertThat(new CommandFactory(seams).create(OutputOptions.class)).isNotNull();
  }
}
