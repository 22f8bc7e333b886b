package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The hidden HTML comment that names a sticky comment: {@code <!-- tollgate:v1 key=… -->}, first
 * line of the body. GitHub does not render it, so readers never see it; Tollgate finds its own
 * comment by it (and by the author, since anyone can paste a marker into a comment).
 *
 * <p>The key is percent-encoded: everything but letters, digits and {@code . _ ~ / : @ + = , ( ) -}
 * becomes {@code %XX} of its UTF-8 bytes, and so does a {@code -} after a {@code -}, so no key can
 * close the HTML comment or split the marker.
 */
@API(status = INTERNAL, since = "0.1.0")
public final class CommentMarker {
  private static final Pattern MARKER =
      Pattern.compile("<!-- tollgate:v1 key=([A-Za-z0-9._~/:@+=,()%-]+) -->");

  private CommentMarker() {}

  /** The marker for {@code key}. */
  public static String of(CommentKey key) {
    return "<!-- tollgate:v1 key=" + encode(key.value()) + " -->";
  }

  /** The keys of every well-formed marker in {@code body}, in order; empty when there is none. */
  public static List<CommentKey> keysIn(String body) {
    Objects.requireNonNull(body, "body");
    List<CommentKey> keys = new ArrayList<>();
    Matcher m = MARKER.matcher(body);
    while (m.find()) {
      String decoded = decode(m.group(1));
      if (decoded != null) {
        try {
          keys.add(CommentKey.of(decoded));
        } catch (IllegalArgumentException e) {
          // Not a key Tollgate could have written; not a marker of ours.
        }
      }
    }
    return keys;
  }

  /** Whether {@code body} carries the marker of {@code key}. */
  public static boolean marks(String body, CommentKey key) {
    return keysIn(body).contains(key);
  }

  static String encode(String key) {
    StringBuilder b = new StringBuilder();
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    for (byte x : bytes) {
      int c = x & 0xff;
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "._~/:@+=,()".indexOf(c) >= 0
              || (c == '-' && (b.length() == 0 || b.charAt(b.length() - 1) != '-'));
      if (plain) {
        b.append((char) c);
      } else {
        b.append('%').append(String.format(java.util.Locale.ROOT, "%02X", c));
      }
    }
    return b.toString();
  }

  /** The decoded key, or null when the text is not valid percent-encoded UTF-8. */
  static String decode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()) {
          return null;
        }
        int hi = Character.digit(text.charAt(i + 1), 16);
        int lo = Character.digit(text.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.write(c);
      }
    }
    java.nio.charset.CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    try {
      return decoder.decode(java.nio.ByteBuffer.wrap(out.toByteArray())).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }
}
