package dev.tollgate.cli.common;

/** The exit-code contract of every {@code tollgate} command. */
public final class ExitCode {
  private ExitCode() {}

  /** The check passed or the command did what it was asked. */
  public static final int OK = 0;

  /** A gate blocked or validation found errors (or warnings with {@code --strict}). */
  public static final int FINDINGS = 1;

  /** Bad input or usage: a missing path, an invalid config, an unknown option. */
  public static final int BAD_INPUT = 2;

  /** The command could not finish: I/O, database or network failure, or an internal error. */
  public static final int COULD_NOT_FINISH = 3;
}
