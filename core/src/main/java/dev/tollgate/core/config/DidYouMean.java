package dev.tollgate.core.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A spelling suggester: finds the allowed word closest to a mistyped one, so an error can say "did
 * you mean `strict`?".
 */
@API(status = INTERNAL, since = "0.1.0")
public final class DidYouMean {
  private DidYouMean() {}

  /**
   * The candidate closest to {@code input} by edit distance (ignoring case), if it is close enough
   * to be a plausible typo: one edit for words of up to 3 letters, else two edits or a third of the
   * longer word, and never more than 3. Ties go to the candidate that sorts first, so suggestions
   * are deterministic.
   */
  public static Optional<String> suggest(String input, Collection<String> candidates) {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(candidates, "candidates");
    String needle = input.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates.stream().sorted().toList()) {
      int d = distance(needle, candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    int longer = Math.max(input.length(), best.length());
    int limit = input.length() <= 3 ? 1 : Math.min(3, Math.max(2, longer / 3));
    return bestDistance <= limit && !best.equals(input) ? Optional.of(best) : Optional.empty();
  }

  /** The Levenshtein distance between two strings: insertions, deletions and substitutions. */
  public static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
