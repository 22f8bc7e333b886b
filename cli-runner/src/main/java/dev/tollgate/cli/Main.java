package dev.tollgate.cli;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The {@code tollgate} executable's entry point: runs the command line and exits with its code. */
public final class Main {
  private Main() {}

  /** Runs {@code tollgate} with the given arguments and exits the JVM with the command's code. */
  public static void main(String[] args) {
    System.exit(TollgateCommand.execute(args));
  }

  /** Standard output as UTF-8, whatever the platform's default charset. */
  static PrintWriter stdout() {
    return utf8(System.out);
  }

  /** Standard error as UTF-8, whatever the platform's default charset. */
  static PrintWriter stderr() {
    return utf8(System.err);
  }

  /** Standard output as bytes, for binary content such as artifacts. */
  static OutputStream stdoutBytes() {
    return System.out;
  }

  private static PrintWriter utf8(OutputStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }
}
