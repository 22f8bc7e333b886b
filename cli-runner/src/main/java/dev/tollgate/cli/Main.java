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
    // The JSON Schema library logs through SLF4J; without this, SLF4J warns on stderr that it has
    // no provider, which would break the "one clear message on stderr" contract.
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", "org.slf4j.helpers.NOPServiceProvider");
    }
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

  private static PrintWriter utf8(OutputStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }
}
