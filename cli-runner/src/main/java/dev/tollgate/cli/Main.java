package dev.tollgate.cli;

/** The {@code tollgate} executable's entry point: runs the command line and exits with its code. */
public final class Main {
  private Main() {}

  /** Runs {@code tollgate} with the given arguments and exits the JVM with the command's code. */
  public static void main(String[] args) {
    Warmup.start(args);
    System.exit(TollgateCommand.execute(args));
  }
}
