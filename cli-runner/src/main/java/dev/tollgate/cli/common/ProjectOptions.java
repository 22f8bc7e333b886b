package dev.tollgate.cli.common;

import dev.tollgate.core.TollgateException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What the option groups of the commands working on a project folder ({@link
 * dev.tollgate.cli.items.BoardOptions}, {@link DatabaseOptions}) share: {@code --dir} checked as an
 * existing folder, the project's files loaded with their errors located under {@code --dir}, the
 * command's streams and its usage errors (exit 2). Each group declares its own {@code --dir}
 * option, whose description says what the folder holds for its commands.
 */
public abstract class ProjectOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  /** The {@code --dir} the user gave. */
  public abstract String dir();

  /**
   * The project root as given.
   *
   * @throws ParameterException when {@code --dir} is not a path to an existing folder
   */
  public Path givenRoot() {
    String dir = dir();
    Path root;
    try {
      root = Path.of(dir);
    } catch (InvalidPathException e) {
      throw usage("--dir '" + dir + "' is not a valid path: " + e.getReason());
    }
    if (!Files.isDirectory(root)) {
      throw usage("--dir '" + dir + "' does not exist or is not a folder");
    }
    return root;
  }

  /** Reads something from the project's files under {@code root}. */
  public interface Loader<T> {
    T load(Path root);
  }

  /**
   * What {@code loader} reads from the project at {@code root}; an error in a file is bad input
   * located as {@code file:line:column} under {@code --dir} (see {@link ProjectPaths}).
   */
  public <T> T load(Path root, Loader<T> loader) {
    try {
      return loader.load(root);
    } catch (TollgateException e) {
      throw located(e);
    }
  }

  /** {@code e} with every diagnostic's file shown under {@code --dir}; see {@link ProjectPaths}. */
  public TollgateException located(TollgateException e) {
    return ProjectPaths.located(dir(), e);
  }

  /** How paths under the project root are shown: {@code --dir} with a trailing {@code /}. */
  public String prefix() {
    return ProjectPaths.prefix(dir());
  }

  /** The command's standard output. */
  public PrintWriter out() {
    return mixee.commandLine().getOut();
  }

  /** The command's standard error. */
  public PrintWriter err() {
    return mixee.commandLine().getErr();
  }

  /** A usage error of the command: one message, a usage hint, exit 2. */
  public ParameterException usage(String message) {
    return new ParameterException(mixee.commandLine(), message);
  }
}
