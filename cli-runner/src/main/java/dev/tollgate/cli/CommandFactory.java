package dev.tollgate.cli;

import java.util.Objects;
import picocli.CommandLine;

/**
 * The picocli factory of the {@code tollgate} command line: it gives the commands that read the
 * clock or the environment their {@link Seams}, and makes everything else as picocli does.
 */
final class CommandFactory implements CommandLine.IFactory {
  private final Seams seams;

  CommandFactory(Seams seams) {
    this.seams = Objects.requireNonNull(seams, "seams");
  }

  @Override
  public <K> K create(Class<K> type) throws Exception {
    if (type == GateCommand.class) {
      return type.cast(new GateCommand(seams));
    }
    if (type == ServeCommand.class) {
      return type.cast(new ServeCommand(seams));
    }
    if (type == CommentCommand.class) {
      return type.cast(new CommentCommand(seams));
    }
    return CommandLine.defaultFactory().create(type);
  }
}
