package dev.tollgate.policy.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scanner for obvious secrets in file content: private key blocks and tokens with well-known
 * prefixes (AWS access key ids, GitHub, Slack and Google API tokens). It reports what kind of
 * secret is where, never the secret's text.
 */
public final class SecretScanner {
  /** How far into a file to look for a NUL byte when deciding that it is binary. */
  private static final int BINARY_PROBE = 8000;

  /** One kind of secret: a cheap literal that must occur, and the full pattern. */
  private record Kind(String name, List<String> literals, Pattern pattern) {}

  private static final List<Kind> KINDS =
      List.of(
          new Kind(
              "a private key block",
              List.of("PRIVATE KEY"),
              Pattern.compile("-----BEGIN (?:[A-Z0-9]+ ){0,2}PRIVATE KEY(?: BLOCK)?-----")),
          new Kind(
              "an AWS access key id",
              List.of("AKIA", "ASIA", "ABIA", "ACCA"),
              Pattern.compile("(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])")),
          new Kind(
              "a GitHub token",
              List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
              Pattern.compile("(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9])")),
          new Kind(
              "a GitHub fine-grained token",
              List.of("github_pat_"),
              Pattern.compile("(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,255}")),
          new Kind(
              "a Slack token",
              List.of("xox"),
              Pattern.compile("(?<![A-Za-z0-9])xox[baprs]-[A-Za-z0-9-]{10,}")),
          new Kind(
              "a Google API key",
              List.of("AIza"),
              Pattern.compile("(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])")));

  private SecretScanner() {}

  /**
   * Where a secret is: 1-based line and column, and what kind it is.
   *
   * @param line the line it starts on
   * @param column the column (in bytes) it starts at
   * @param kind what it looks like, e.g. "an AWS access key id"
   */
  public record Hit(int line, int column, String kind) {}

  /** Whether {@code bytes} look binary (a NUL byte near the start), so they are not scanned. */
  public static boolean binary(byte[] bytes) {
    int n = Math.min(bytes.length, BINARY_PROBE);
    for (int i = 0; i < n; i++) {
      if (bytes[i] == 0) {
        return true;
      }
    }
    return false;
  }

  /** The secrets in {@code bytes}, by position; none for binary content. */
  public static List<Hit> scan(byte[] bytes) {
    if (binary(bytes)) {
      return List.of();
    }
    // Latin-1 maps each byte to one char, so offsets are byte offsets and no input fails to decode;
    // every pattern is ASCII.
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    List<Hit> hits = new ArrayList<>();
    int[] lineStarts = null;
    for (Kind k : KINDS) {
      if (k.literals().stream().noneMatch(text::contains)) {
        continue;
      }
      Matcher m = k.pattern().matcher(text);
      while (m.find()) {
        if (lineStarts == null) {
          lineStarts = lineStarts(text);
        }
        int line = lineOf(lineStarts, m.start());
        hits.add(new Hit(line + 1, m.start() - lineStarts[line] + 1, k.name()));
      }
    }
    hits.sort(Comparator.comparingInt(Hit::line).thenComparingInt(Hit::column));
    return hits;
  }

  private static int[] lineStarts(String text) {
    int count = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        count++;
      }
    }
    int[] starts = new int[count];
    int n = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        starts[n++] = i + 1;
      }
    }
    return starts;
  }

  private static int lineOf(int[] starts, int offset) {
    int i = java.util.Arrays.binarySearch(starts, offset);
    return i >= 0 ? i : -i - 2;
  }
}
