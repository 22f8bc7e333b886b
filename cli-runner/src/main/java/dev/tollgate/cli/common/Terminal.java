package dev.tollgate.cli.common;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The process's standard streams as the commands write to them. */
public final class Terminal {
  private Terminal() {}

  /** Standard output as UTF-8, whatever the platform's default charset. */
  public static PrintWriter stdout() {
    return utf8(System.out);
  }

  /** Standard error as UTF-8, whatever the platform's default charset. */
  public static PrintWriter stderr() {
    return utf8(System.err);
  }

  /** Standard output as bytes, for binary content such as artifacts. */
  public static OutputStream stdoutBytes() {
    return System.out;
  }

  private static PrintWriter utf8(OutputStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }
}
