package dev.tollgate.policy.internal;

import java.util.regex.Pattern;

/**
 * A path glob over {@code /}-separated paths: {@code **} matches any number of folders, {@code *}
 * any part of one name, {@code ?} one character. A glob ending in {@code /} matches everything
 * below that folder.
 */
public final class Glob {
  private final String text;
  private final Pattern pattern;

  private Glob(String text, Pattern pattern) {
    this.text = text;
    this.pattern = pattern;
  }

  /** Returns the glob written as {@code glob}. */
  public static Glob of(String glob) {
    String g = glob.endsWith("/") ? glob + "**" : glob;
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      if (c == '*') {
        boolean doubleStar = i + 1 < g.length() && g.charAt(i + 1) == '*';
        if (doubleStar) {
          boolean slashAfter = i + 2 < g.length() && g.charAt(i + 2) == '/';
          re.append(slashAfter ? "(?:.*/)?" : ".*");
          i += slashAfter ? 2 : 1;
        } else {
          re.append("[^/]*");
        }
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new Glob(glob, Pattern.compile(re.toString()));
  }

  /** Returns whether the whole of {@code path} matches this glob. */
  public boolean matches(String path) {
    return pattern.matcher(path).matches();
  }

  @Override
  public String toString() {
    return text;
  }
}
