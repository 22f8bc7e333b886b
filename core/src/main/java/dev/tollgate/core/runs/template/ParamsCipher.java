package dev.tollgate.core.runs.template;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.TollgateException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apiguardian.api.API;

/**
 * The key that seals a run's secret ({@code writeOnly}) parameters for storage, so that reading the
 * database does not reveal them: AES-256-GCM with a fresh random 96-bit nonce per sealing, the
 * run's template name as associated data (a sealed value copied to a run of another template does
 * not open), and a short key id in clear so that a worker holding another key says so instead of
 * failing obscurely.
 *
 * <p>The sealed text is {@code v1:<key id>:<base64 of nonce and ciphertext>}. The key is 32 bytes,
 * given in base64 by {@value #KEY_VARIABLE} ({@code openssl rand -base64 32}); everyone who
 * enqueues runs with secrets and every worker that executes them need the same key. The key id is
 * the first 4 bytes of a SHA-256 of the key, which tells keys apart and reveals nothing usable
 * about the key. Immutable and thread-safe; {@link #toString} shows the key id only.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class ParamsCipher {
  /** The environment variable holding the key, base64 of 32 bytes. */
  public static final String KEY_VARIABLE = "TOLLGATE_SECRET_KEY";

  private static final String VERSION = "v1";
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String AAD_PREFIX = "tollgate run params v1 template=";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SecretKeySpec key;
  private final String keyId;

  private ParamsCipher(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
    this.keyId = keyId(key);
  }

  /**
   * A cipher with {@code key}, which must be 32 bytes.
   *
   * @throws IllegalArgumentException when it is not
   */
  public static ParamsCipher of(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "a secret key must be " + KEY_BYTES + " bytes but was " + key.length);
    }
    return new ParamsCipher(key.clone());
  }

  /**
   * A cipher with the key written as base64 (standard or URL-safe, padding optional), as {@value
   * #KEY_VARIABLE} holds it. Messages never show the text.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when it is not the base64 of 32 bytes
   */
  public static ParamsCipher parse(String base64) {
    Objects.requireNonNull(base64, "base64");
    String text = base64.strip();
    byte[] bytes;
    try {
      bytes =
          text.indexOf('-') >= 0 || text.indexOf('_') >= 0
              ? Base64.getUrlDecoder().decode(text)
              : Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw TollgateException.badInput(
          KEY_VARIABLE + " must be the base64 of 32 bytes but is not base64; " + howToMake());
    }
    if (bytes.length != KEY_BYTES) {
      throw TollgateException.badInput(
          KEY_VARIABLE
              + " must be the base64 of 32 bytes but decodes to "
              + bytes.length
              + " bytes; "
              + howToMake());
    }
    try {
      return new ParamsCipher(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * The cipher whose key {@value #KEY_VARIABLE} holds in {@code environment}; empty when it is
   * unset or blank.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when it is set but not a key
   */
  public static Optional<ParamsCipher> fromEnvironment(Map<String, String> environment) {
    Objects.requireNonNull(environment, "environment");
    String value = environment.get(KEY_VARIABLE);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(parse(value));
  }

  /** How to make a key, for messages. */
  public static String howToMake() {
    return "make one with `openssl rand -base64 32` and give the same key to everyone who enqueues"
        + " runs with secret parameters and to every worker that runs them";
  }

  /** The key's id: 8 hex digits that tell keys apart without revealing them. */
  public String keyId() {
    return keyId;
  }

  /** {@code values} (an object of parameter name to value) sealed for a run of {@code template}. */
  public String seal(ObjectNode values, String template) {
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(template, "template");
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(aad(template));
      byte[] sealed = c.doFinal(JSON.writeValueAsBytes(values));
      ByteBuffer out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed);
      return VERSION + ":" + keyId + ":" + Base64.getEncoder().encodeToString(out.array());
    } catch (GeneralSecurityException | JsonProcessingException e) {
      throw new IllegalStateException("could not seal secret parameters: " + e.getMessage(), e);
    }
  }

  /**
   * The values {@code sealed} holds, sealed by {@link #seal} for a run of {@code template}.
   *
   * @throws TollgateException of kind {@code COULD_NOT_FINISH} when {@code sealed} is not in the
   *     sealed format, was sealed with another key, or was altered or sealed for another template;
   *     the message says which, never a value
   */
  public ObjectNode open(String sealed, String template) {
    Objects.requireNonNull(sealed, "sealed");
    Objects.requireNonNull(template, "template");
    String[] parts = sealed.split(":", -1);
    if (parts.length != 3 || !parts[0].equals(VERSION)) {
      throw failure(
          "the secret parameters are not in the sealed format " + VERSION + ":<key id>:<base64>");
    }
    if (!parts[1].equals(keyId)) {
      throw failure(
          "the secret parameters were sealed with another key (key id "
              + parts[1]
              + ") than this "
              + KEY_VARIABLE
              + " (key id "
              + keyId
              + ")");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw failure("the secret parameters are not in the sealed format (bad base64)");
    }
    if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
      throw failure("the secret parameters are not in the sealed format (too short)");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
      c.updateAAD(aad(template));
      byte[] plain = c.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
      JsonNode node = JSON.readTree(plain);
      Arrays.fill(plain, (byte) 0);
      if (!node.isObject()) {
        throw failure("the secret parameters are not an object");
      }
      return (ObjectNode) node;
    } catch (AEADBadTagException e) {
      throw failure(
          "the secret parameters do not decrypt with key id "
              + keyId
              + ": they were altered, or sealed for a run of another template than "
              + template);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw failure("the secret parameters could not be decrypted: " + e.getMessage());
    }
  }

  /** The id of the key {@code sealed} was sealed with, when it is in the sealed format. */
  public static Optional<String> keyIdOf(String sealed) {
    if (sealed == null) {
      return Optional.empty();
    }
    String[] parts = sealed.split(":", -1);
    return parts.length == 3 && parts[0].equals(VERSION) ? Optional.of(parts[1]) : Optional.empty();
  }

  /** Whether {@code text} looks like something {@link #seal} wrote. */
  public static boolean isSealed(String text) {
    return keyIdOf(text).isPresent();
  }

  private static byte[] aad(String template) {
    return (AAD_PREFIX + template).getBytes(StandardCharsets.UTF_8);
  }

  private static TollgateException failure(String message) {
    return new TollgateException(TollgateException.Kind.COULD_NOT_FINISH, message);
  }

  private static String keyId(byte[] key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("tollgate secret key id\0".getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(sha.digest(key), 0, 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "ParamsCipher[key id " + keyId + "]";
  }
}
