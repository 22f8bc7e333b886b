package dev.tollgate.core.util;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests in lower-case hex, as Tollgate records them: migration checksums, template
 * hashes, artifact and release-file digests, shortened comment keys.
 */
public final class Sha256 {
  private Sha256() {}

  /** The SHA-256 of {@code bytes} in lower-case hex (64 characters). */
  public static String hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** The SHA-256 of {@code text} encoded as UTF-8, in lower-case hex. */
  public static String hex(String text) {
    return hex(text.getBytes(StandardCharsets.UTF_8));
  }
}
