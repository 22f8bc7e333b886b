package dev.tollgate.core.workitem;

import dev.tollgate.core.repo.CommitInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * How old a work item's data is and whether it can still be trusted: the age of its {@link
 * ItemSnapshot} at the time it was observed, and a verdict against a threshold.
 *
 * <p>The verdict is {@code fresh} or {@code stale} only when the snapshot's time says when the data
 * was really written (a commit, or an uncommitted local change); a bare file modification time
 * gives {@code unknown}, because copies and checkouts reset it. A shallow clone knows only that the
 * file changed at or before its oldest commit, so it can prove {@code stale} but never {@code
 * fresh}.
 *
 * @param snapshot when the data was last written, and how that is known
 * @param observedAt when it was observed, to the second
 * @param age how long before {@code observedAt} the data was written; zero when the snapshot is in
 *     the future
 * @param staleAfter the age beyond which the data counts as stale
 * @param verdict fresh, stale or unknown
 */
public record Freshness(
    ItemSnapshot snapshot, Instant observedAt, Duration age, Duration staleAfter, Verdict verdict) {

  /** The threshold used when none is configured: a week without a change. */
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofDays(7);

  /** Whether an item's data can be trusted as current. */
  public enum Verdict {
    /** Written within the threshold. */
    FRESH("fresh"),
    /** Not written for longer than the threshold. */
    STALE("stale"),
    /** Nothing trustworthy says when it was written. */
    UNKNOWN("unknown");

    private final String label;

    Verdict(String label) {
      this.label = label;
    }

    /** The spelling used in output: {@code fresh}, {@code stale} or {@code unknown}. */
    public String label() {
      return label;
    }
  }

  /** Checks that every field is present and the durations are not negative. */
  public Freshness {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(observedAt, "observedAt");
    Objects.requireNonNull(age, "age");
    Objects.requireNonNull(staleAfter, "staleAfter");
    Objects.requireNonNull(verdict, "verdict");
    if (age.isNegative()) {
      throw new IllegalArgumentException("age must not be negative but was " + age);
    }
    checkThreshold(staleAfter);
  }

  /**
   * Checks a threshold: positive.
   *
   * @throws IllegalArgumentException naming the value when it is zero or negative
   */
  public static Duration checkThreshold(Duration staleAfter) {
    Objects.requireNonNull(staleAfter, "staleAfter");
    if (staleAfter.isNegative() || staleAfter.isZero()) {
      throw new IllegalArgumentException(
          "the freshness threshold must be positive but was " + text(staleAfter));
    }
    return staleAfter;
  }

  /**
   * The freshness of {@code snapshot} observed at {@code now}, judged against {@code staleAfter}.
   */
  public static Freshness assess(ItemSnapshot snapshot, Instant now, Duration staleAfter) {
    Objects.requireNonNull(snapshot, "snapshot");
    checkThreshold(staleAfter);
    Instant observed = Objects.requireNonNull(now, "now").truncatedTo(ChronoUnit.SECONDS);
    Duration age = Duration.between(snapshot.at(), observed);
    if (age.isNegative()) {
      age = Duration.ZERO;
    }
    boolean old = age.compareTo(staleAfter) > 0;
    Verdict verdict =
        switch (snapshot.basis()) {
          case COMMIT, UNCOMMITTED_CHANGE -> old ? Verdict.STALE : Verdict.FRESH;
          case SHALLOW_BOUNDARY -> old ? Verdict.STALE : Verdict.UNKNOWN;
          case FILE_MODIFIED_TIME -> Verdict.UNKNOWN;
        };
    return new Freshness(snapshot, observed, age, staleAfter, verdict);
  }

  /** When the item's data was last written, to the second. */
  public Instant snapshotAt() {
    return snapshot.at();
  }

  /** The age for people: {@code 45s}, {@code 12m}, {@code 3h 5m}, {@code 4d 2h}. */
  public String ageText() {
    long s = age.getSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m";
    }
    if (s < 86400) {
      return (s / 3600) + "h " + (s % 3600 / 60) + "m";
    }
    return (s / 86400) + "d " + (s % 86400 / 3600) + "h";
  }

  /**
   * One sentence saying why the verdict is what it is, e.g. {@code the last commit changing the
   * file, 1a2b3c4, is older than 7d}.
   */
  public String reason() {
    String threshold = text(staleAfter);
    String commit = snapshot.commit().map(CommitInfo::abbreviate).orElse("");
    return switch (snapshot.basis()) {
      case COMMIT ->
          "the last commit changing the file, "
              + commit
              + ", is "
              + (verdict == Verdict.STALE ? "older than " : "within ")
              + threshold;
      case UNCOMMITTED_CHANGE ->
          "the file has changes no commit holds yet, "
              + (verdict == Verdict.STALE ? "last written more than " : "written within ")
              + threshold
              + (verdict == Verdict.STALE ? " ago" : "");
      case SHALLOW_BOUNDARY ->
          verdict == Verdict.STALE
              ? "the file last changed at or before "
                  + commit
                  + ", the oldest commit of this shallow clone, which is older than "
                  + threshold
              : "this is a shallow clone: the file last changed at or before "
                  + commit
                  + ", its oldest commit; fetch the full history (fetch-depth: 0) to know when";
      case FILE_MODIFIED_TIME ->
          "no Git history holds the file, so its time is the file's modification time, which a"
              + " copy or checkout resets";
    };
  }

  /**
   * A duration for people, largest units first and zero parts left out: {@code 7d}, {@code 1d 12h},
   * {@code 90m} is {@code 1h 30m}, {@code 45s}.
   */
  public static String text(Duration duration) {
    if (duration.isNegative()) {
      return "-" + text(duration.negated());
    }
    long s = duration.getSeconds();
    long[] sizes = {86400, 3600, 60, 1};
    String[] units = {"d", "h", "m", "s"};
    StringJoiner out = new StringJoiner(" ");
    for (int i = 0; i < sizes.length; i++) {
      if (s / sizes[i] > 0) {
        out.add(s / sizes[i] + units[i]);
      }
      s %= sizes[i];
    }
    return out.length() == 0 ? "0s" : out.toString();
  }
}
