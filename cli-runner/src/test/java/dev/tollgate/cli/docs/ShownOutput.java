package dev.tollgate.cli.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Output as a page shows it, compared with what a command printed. Lines are compared whole, after
 * trailing spaces and trailing blank lines are dropped on both sides. Parts that vary from run to
 * run are written as placeholders:
 *
 * <ul>
 *   <li>{@code ...} alone on a line: any number of lines, none included;
 *   <li>{@code [..]}: any text within one line;
 *   <li>{@code [INT]}: a whole number;
 *   <li>{@code [ID]}: an id, letters, digits, {@code .}, {@code _} and {@code -};
 *   <li>{@code [TIME]}: a date and time, a time of day or a duration ({@code 2026-12-06T10:15:30Z},
 *       {@code 10:15:30}, {@code 1.2s}, {@code 350ms}, {@code 1m30s});
 *   <li>{@code [SANDBOX]}: the absolute path of the folder the commands run in.
 * </ul>
 */
public final class ShownOutput {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\[(\\.\\.|INT|ID|TIME|SANDBOX)]");
  private static final String TIME =
      "(?:\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?"
          + "|\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?"
          + "|(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h))+)";

  private final List<Pattern> lines;
  private final List<Boolean> anyLines;

  private ShownOutput(List<Pattern> lines, List<Boolean> anyLines) {
    this.lines = lines;
    this.anyLines = anyLines;
  }

  /** The shown lines, with {@code [SANDBOX]} standing for {@code sandbox}. */
  public static ShownOutput of(List<String> shown, String sandbox) {
    List<Pattern> patterns = new ArrayList<>();
    List<Boolean> any = new ArrayList<>();
    for (String line : trim(shown)) {
      if (line.trim().equals("...")) {
        patterns.add(null);
        any.add(true);
      } else {
        patterns.add(Pattern.compile(regex(line, sandbox)));
        any.add(false);
      }
    }
    return new ShownOutput(patterns, any);
  }

  /** Whether {@code printed} (the command's whole output) is what the page shows. */
  public boolean matches(String printed) {
    List<String> actual = trim(List.of(printed.replace("\r\n", "\n").split("\n", -1)));
    // matched[i][j]: the first i shown lines match the first j printed lines.
    boolean[][] matched = new boolean[lines.size() + 1][actual.size() + 1];
    matched[0][0] = true;
    for (int i = 1; i <= lines.size(); i++) {
      boolean any = anyLines.get(i - 1);
      for (int j = 0; j <= actual.size(); j++) {
        if (any) {
          matched[i][j] = matched[i - 1][j] || (j > 0 && matched[i][j - 1]);
        } else {
          matched[i][j] =
              j > 0
                  && matched[i - 1][j - 1]
                  && lines.get(i - 1).matcher(actual.get(j - 1)).matches();
        }
      }
    }
    return matched[lines.size()][actual.size()];
  }

  private static String regex(String line, String sandbox) {
    StringBuilder out = new StringBuilder();
    Matcher m = PLACEHOLDER.matcher(line);
    int at = 0;
    while (m.find()) {
      out.append(Pattern.quote(line.substring(at, m.start())));
      out.append(
          switch (m.group(1)) {
            case ".." -> ".*";
            case "INT" -> "\\d+";
            case "ID" -> "[A-Za-z0-9][A-Za-z0-9._-]*";
            case "TIME" -> TIME;
            case "SANDBOX" -> Pattern.quote(sandbox);
            default -> throw new IllegalStateException(m.group(1));
          });
      at = m.end();
    }
    out.append(Pattern.quote(line.substring(at)));
    return out.toString();
  }

  /** The lines without trailing spaces, and without blank lines at the end. */
  private static List<String> trim(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      out.add(l.stripTrailing());
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }
}
