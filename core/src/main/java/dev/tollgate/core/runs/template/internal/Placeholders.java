package dev.tollgate.core.runs.template.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The placeholder syntax of HTTP steps: {@code ${params.NAME}} stands for a parameter's value and
 * {@code $${} for a literal {@code ${}; any other {@code ${...}} is an error found when the
 * template is loaded.
 */
public final class Placeholders {
  private Placeholders() {}

  private static final Pattern PARAM = Pattern.compile("params\\.([A-Za-z0-9_][A-Za-z0-9_-]*)");

  /** A {@code ${params.NAME}} found in a text, at a 0-based character offset. */
  public record Reference(String name, int offset) {}

  /** What a scan found: the parameter references and the malformed placeholders. */
  public record Scan(List<Reference> references, List<String> problems) {}

  /** The references and problems in {@code text}, in order of appearance. */
  public static Scan scan(String text) {
    List<Reference> refs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    walk(
        text,
        new StringBuilder(),
        (name, offset) -> {
          refs.add(new Reference(name, offset));
          return "";
        },
        problems);
    return new Scan(List.copyOf(refs), List.copyOf(problems));
  }

  /**
   * {@code text} with every {@code ${params.NAME}} replaced by {@code value.apply(NAME)} and every
   * {@code $${} by {@code ${}; malformed placeholders are kept as written.
   *
   * @throws IllegalArgumentException as thrown by {@code value}, e.g. for a parameter without a
   *     value
   */
  public static String substitute(String text, UnaryOperator<String> value) {
    StringBuilder out = new StringBuilder(text.length());
    walk(text, out, (name, offset) -> value.apply(name), new ArrayList<>());
    return out.toString();
  }

  /**
   * {@code value} percent-encoded as UTF-8 for any part of a URL: every byte except the unreserved
   * characters {@code A-Z a-z 0-9 - . _ ~} becomes {@code %XX}, so a value can neither add path
   * segments, query parameters or a fragment nor change the host.
   */
  public static String percentEncode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }

  private interface OnReference {
    String replace(String name, int offset);
  }

  private static void walk(
      String text, StringBuilder out, OnReference onReference, List<String> problems) {
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
        continue;
      }
      if (text.startsWith("${", i)) {
        int close = text.indexOf('}', i + 2);
        if (close < 0) {
          problems.add(
              "'${' at character "
                  + (i + 1)
                  + " is not closed; write ${params.NAME}, or $${ for a literal ${");
          out.append(text, i, text.length());
          return;
        }
        String inner = text.substring(i + 2, close);
        var m = PARAM.matcher(inner);
        if (m.matches()) {
          out.append(onReference.replace(m.group(1), i));
        } else {
          problems.add(
              "'${"
                  + inner
                  + "}' is not a placeholder Tollgate knows; write ${params.NAME}, or $${ for a"
                  + " literal ${");
          out.append(text, i, close + 1);
        }
        i = close + 1;
        continue;
      }
      out.append(text.charAt(i));
      i++;
    }
  }
}
