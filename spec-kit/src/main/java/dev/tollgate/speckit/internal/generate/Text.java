package dev.tollgate.speckit.internal.generate;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes user-typed text safe to place in generated Spec Kit Markdown: one line, no Markdown or HTML
 * that changes the document's structure, and nothing the validator would read as a template
 * leftover, a task or requirement id, a dependency, or a status marker.
 *
 * <p>Generated kits must validate without errors whatever the user typed, so this errs on the side
 * of rewriting: {@code [x]} becomes {@code (x)}, {@code T001} becomes {@code T 001}.
 */
public final class Text {
  private Text() {}

  /** The most characters kept from one input; longer text is cut at a word boundary. */
  public static final int MAX_LENGTH = 200;

  private static final Pattern SPACE = Pattern.compile("[\\s\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]+");
  private static final Pattern DOLLAR = Pattern.compile("\\$(?=[\\p{L}_{(])");
  private static final Pattern ACTION_REQUIRED = Pattern.compile("(?i)action\\s*required");
  private static final Pattern CLARIFICATION = Pattern.compile("(?i)needs\\s*clarification");
  private static final Pattern TXXX = Pattern.compile("(?i)\\bt(x{2,})\\b");
  private static final Pattern IDS = Pattern.compile("(?i)\\b(FR|SC|US|CHK|T|P)(-?)(\\d)");
  private static final Pattern FRACTION = Pattern.compile("(\\d)\\s*/\\s*(\\d)");
  private static final Pattern PRIORITY = Pattern.compile("(?i)\\bpriority\\s*:");
  private static final Pattern STATUS_WORDS =
      Pattern.compile(
          "\\b(PARTIALLY COMPLETE|COMPLETED?|IN PROGRESS|NOT STARTED|BLOCKED|DONE|WIP)\\b");
  private static final Pattern STATUS_EMOJI =
      Pattern.compile("[\\u2705\\u23F3\\u274C\\u2714\\u2716\\u26D4\\u231B]|\\x{1F512}|\\x{1F6A7}");
  private static final Pattern PLACEHOLDER = Pattern.compile("(?i)\\b(TODO|TBD|TKTK)\\b|\\?{3,}");

  /**
   * The text on one line with structure-changing characters replaced; empty when nothing printable
   * is left.
   */
  public static String clean(String raw) {
    if (raw == null) {
      return "";
    }
    String s = Normalizer.normalize(raw, Normalizer.Form.NFC);
    s = SPACE.matcher(s).replaceAll(" ").strip();
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints()
        .forEach(
            cp -> {
              switch (cp) {
                case '[' -> out.append('(');
                case ']' -> out.append(')');
                case '<' -> out.append('\u2039');
                case '>' -> out.append('\u203A');
                case '`' -> out.append('\'');
                case '|' -> out.append('/');
                case '\\' -> out.append('/');
                case '*', '_', '~' -> out.append(' ');
                case '#' -> out.append("no. ");
                case '\uFFFD' -> {}
                default -> {
                  if (Character.isDefined(cp)
                      && Character.getType(cp) != Character.PRIVATE_USE
                      && Character.getType(cp) != Character.SURROGATE) {
                    out.appendCodePoint(cp);
                  }
                }
              }
            });
    s = out.toString();
    s = DOLLAR.matcher(s).replaceAll("\\$ ");
    s = ACTION_REQUIRED.matcher(s).replaceAll("action needed");
    s = CLARIFICATION.matcher(s).replaceAll("needs clarifying");
    s = TXXX.matcher(s).replaceAll("T-$1");
    s = IDS.matcher(s).replaceAll("$1 $3");
    s = PRIORITY.matcher(s).replaceAll("priority -");
    s = FRACTION.matcher(s).replaceAll("$1 of $2");
    s = STATUS_EMOJI.matcher(s).replaceAll("");
    s = lower(STATUS_WORDS.matcher(s));
    s = PLACEHOLDER.matcher(s).replaceAll("");
    s = SPACE.matcher(s).replaceAll(" ").strip();
    // A leading list, quote or heading marker would not survive as plain text at a line start.
    s = s.replaceFirst("^[-+=>.:]+\\s*", "").strip();
    return cut(s);
  }

  /** The text as a sentence: cleaned, with a final full stop unless it ends in punctuation. */
  public static String sentence(String raw) {
    String s = clean(raw);
    if (s.isEmpty()) {
      return s;
    }
    int last = s.codePointBefore(s.length());
    return ".!?".indexOf(last) >= 0 ? s : s + ".";
  }

  /**
   * A folder-name slug: lower-case ASCII letters and digits separated by single hyphens, at most 40
   * characters; empty when the text has no letter or digit.
   */
  public static String slug(String raw) {
    if (raw == null) {
      return "";
    }
    String latin =
        raw.replace("ł", "l")
            .replace("Ł", "L")
            .replace("ø", "o")
            .replace("Ø", "O")
            .replace("ß", "ss")
            .replace("æ", "ae")
            .replace("Æ", "AE")
            .replace("đ", "d")
            .replace("Đ", "D")
            .replace("ı", "i");
    String ascii =
        Normalizer.normalize(latin, Normalizer.Form.NFKD)
            .replaceAll("\\p{M}+", "")
            .toLowerCase(Locale.ROOT);
    String slug = ascii.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (slug.length() > 40) {
      slug = slug.substring(0, 40).replaceAll("-+$", "");
    }
    return slug;
  }

  private static String lower(Matcher m) {
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group().toLowerCase(Locale.ROOT)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String cut(String s) {
    if (s.codePointCount(0, s.length()) <= MAX_LENGTH) {
      return s;
    }
    String head = s.substring(0, s.offsetByCodePoints(0, MAX_LENGTH));
    int space = head.lastIndexOf(' ');
    return (space > MAX_LENGTH / 2 ? head.substring(0, space) : head).strip();
  }
}
