package dev.tollgate.controlplane;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * API tokens for scripts and remote operators: each token is stored only as its SHA-256, with the
 * name it acts as and its scopes; a request presents it as {@code Authorization: Bearer <token>}.
 *
 * <p>The token file has one token per line: {@code NAME SCOPES sha256:HEX}, e.g. {@code ci read,act
 * sha256:9f86…}; blank lines and lines starting with {@code #} are ignored. {@link #generate} makes
 * a token and the line to store for it.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class BearerTokens implements Authenticator {
  private static final String PREFIX = "tgt_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Identity> byHash;

  private BearerTokens(Map<String, Identity> byHash) {
    this.byHash = Map.copyOf(byHash);
  }

  /** Tokens given as SHA-256 hex digest → identity. */
  public static BearerTokens of(Map<String, Identity> hashes) {
    Map<String, Identity> copy = new LinkedHashMap<>();
    hashes.forEach((hash, identity) -> copy.put(hash.toLowerCase(java.util.Locale.ROOT), identity));
    return new BearerTokens(copy);
  }

  /**
   * Reads a token file.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} naming the line and column of a malformed
   *     entry, or when the file cannot be read
   */
  public static BearerTokens read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw TollgateException.badInput("cannot read token file " + file + ": " + e.getMessage());
    }
    Map<String, Identity> byHash = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int column = line.indexOf(trimmed) + 1;
      String[] parts = trimmed.split("\\s+");
      if (parts.length != 3) {
        throw bad(file, i + 1, column, "NAME SCOPES sha256:HEX", "'" + trimmed + "'");
      }
      Set<Scope> scopes = EnumSet.noneOf(Scope.class);
      for (String s : parts[1].split(",")) {
        Optional<Scope> scope = Scope.parse(s);
        if (scope.isEmpty()) {
          throw bad(
              file,
              i + 1,
              line.indexOf(parts[1]) + 1,
              "scopes from read, act, deploy",
              "'" + s + "'");
        }
        scopes.add(scope.get());
      }
      String hash = parts[2];
      if (!hash.matches("sha256:[0-9a-fA-F]{64}")) {
        throw bad(
            file, i + 1, line.indexOf(hash) + 1, "sha256: and 64 hex digits", "'" + hash + "'");
      }
      byHash.put(
          hash.substring(7).toLowerCase(java.util.Locale.ROOT), new Identity(parts[0], scopes));
    }
    return new BearerTokens(byHash);
  }

  private static TollgateException bad(
      Path file, int line, int column, String expected, String found) {
    return TollgateException.badInput(
        Diagnostic.of(
            Severity.ERROR,
            "tokens",
            "expected " + expected + " but found " + found,
            new Location(file.toString().replace('\\', '/'), line, column),
            "make a line with `tollgate serve token NAME --scopes read,act`"));
  }

  /** A new random token and the line of the token file that accepts it as {@code name}. */
  public static Generated generate(String name, Set<Scope> scopes) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Identity identity = new Identity(name, scopes);
    String scopeList =
        String.join(",", EnumSet.copyOf(scopes).stream().map(Scope::wireName).toList());
    return new Generated(token, identity.name() + " " + scopeList + " sha256:" + hash(token));
  }

  /**
   * A freshly generated token.
   *
   * @param token the secret to hand to the caller once; never stored
   * @param line the token file line that accepts it
   */
  public record Generated(String token, String line) {
    @Override
    public String toString() {
      return "Generated[token=***, line=" + line + "]";
    }
  }

  @Override
  public Optional<Identity> authenticate(HttpServletRequest request) {
    return presented(request).map(BearerTokens::hash).map(byHash::get);
  }

  @Override
  public boolean explicit(HttpServletRequest request) {
    return presented(request).isPresent();
  }

  private static Optional<String> presented(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = header.substring(7).strip();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  /** The SHA-256 of {@code token} in hex: what a token file and {@link #of} store instead of it. */
  public static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
