package dev.tollgate.core.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The duration syntax of run templates: one or more parts, each a whole number and a unit ({@code
 * h}, {@code m}, {@code s} or {@code ms}), largest unit first and each unit at most once, e.g.
 * {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 1h30m}, {@code 1m30s500ms}.
 *
 * <p>No spaces, signs, fractions or other units: {@code 1.5h} is written {@code 1h30m}.
 */
@API(status = INTERNAL, since = "0.1.0")
public final class Durations {
  private Durations() {}

  /** The longest duration accepted: far beyond any timeout, short of arithmetic overflow. */
  public static final Duration MAX = Duration.ofDays(365);

  private static final String EXAMPLES = "e.g. 500ms, 2s, 5m, 1h or 1h30m";

  /**
   * Reads a duration.
   *
   * @throws IllegalArgumentException with a message saying what is wrong and showing examples, for
   *     anything that is not a duration in this syntax or is longer than {@link #MAX}
   */
  public static Duration parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("a duration must not be empty; " + EXAMPLES);
    }
    Duration total = Duration.ZERO;
    int lastRank = Integer.MAX_VALUE;
    int i = 0;
    while (i < text.length()) {
      int start = i;
      while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        i++;
      }
      if (i == start) {
        throw bad(text, "expected a number at position " + (start + 1));
      }
      String digits = text.substring(start, i);
      int unitStart = i;
      while (i < text.length() && (text.charAt(i) < '0' || text.charAt(i) > '9')) {
        i++;
      }
      String unit = text.substring(unitStart, i);
      if (unit.isEmpty()) {
        throw bad(text, "'" + digits + "' has no unit (ms, s, m or h)");
      }
      int rank = rank(unit);
      if (rank < 0) {
        throw bad(text, "'" + unit + "' is not a unit; use ms, s, m or h");
      }
      if (rank >= lastRank) {
        throw bad(text, "units must go from largest to smallest, each at most once");
      }
      lastRank = rank;
      if (digits.length() > 12) {
        throw tooLong(text);
      }
      long amount = Long.parseLong(digits);
      Duration part =
          switch (unit) {
            case "h" -> Duration.ofHours(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMillis(amount);
          };
      total = total.plus(part);
      if (total.compareTo(MAX) > 0) {
        throw tooLong(text);
      }
    }
    return total;
  }

  /**
   * The shortest text {@link #parse} reads back as {@code duration}, e.g. {@code 1h30m}; {@code 0s}
   * for zero. Sub-millisecond parts are dropped.
   *
   * @throws IllegalArgumentException for a negative duration
   */
  public static String format(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative but was " + duration);
    }
    long millis = duration.toMillis();
    if (millis == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long hours = millis / 3_600_000;
    long minutes = millis / 60_000 % 60;
    long seconds = millis / 1000 % 60;
    long ms = millis % 1000;
    if (hours > 0) out.append(hours).append('h');
    if (minutes > 0) out.append(minutes).append('m');
    if (seconds > 0) out.append(seconds).append('s');
    if (ms > 0) out.append(ms).append("ms");
    return out.toString();
  }

  private static int rank(String unit) {
    return switch (unit) {
      case "h" -> 3;
      case "m" -> 2;
      case "s" -> 1;
      case "ms" -> 0;
      default -> -1;
    };
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException(
        "'" + text + "' is not a duration: " + why + "; " + EXAMPLES);
  }

  private static IllegalArgumentException tooLong(String text) {
    return new IllegalArgumentException(
        "'" + text + "' is longer than the longest duration allowed, " + format(MAX));
  }
}
