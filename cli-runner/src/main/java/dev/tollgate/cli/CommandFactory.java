package dev.tollgate.cli;

import dev.tollgate.cli.common.Seams;
import java.lang.reflect.Constructor;
import java.util.Objects;
import picocli.CommandLine;

/**
 * The picocli factory of the {@code tollgate} command line: it gives the commands and option groups
 * that read the clock or the environment their {@link Seams} (those with a constructor taking
 * them), and makes everything else as picocli does.
 */
final class CommandFactory implements CommandLine.IFactory {
  private final Seams seams;

  CommandFactory(Seams seams) {
    this.seams = Objects.requireNonNull(seams, "seams");
  }

  /**
   * Makes a command or option group: with its constructor taking {@link Seams} when it has one,
   * else as picocli does.
   */
  @Override
  public <K> K create(Class<K> type) throws Exception {
    Constructor<K> withSeams;
    try {
      withSeams = type.getDeclaredConstructor(Seams.class);
    } catch (NoSuchMethodException e) {
      return CommandLine.defaultFactory().create(type);
    }
    withSeams.setAccessible(true);
    return withSeams.newInstance(seams);
  }
}
