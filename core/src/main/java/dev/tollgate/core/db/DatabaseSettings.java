package dev.tollgate.core.db;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.db.internal.PostgresUrlCheck;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Where a PostgreSQL database is and who to connect as.
 *
 * <p>{@link #parse(String)} accepts both JDBC URLs ({@code jdbc:postgresql://host:5432/db}) and the
 * {@code postgres://user:password@host:port/db?sslmode=require} form that hosting providers hand
 * out. The password is kept out of {@link #toString()} and out of the JDBC URL.
 *
 * @param jdbcUrl a {@code jdbc:postgresql:} URL without credentials
 * @param user the user name, or null to let the driver decide
 * @param password the password, or null
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record DatabaseSettings(String jdbcUrl, String user, String password) {

  /** Checks the URL. */
  public DatabaseSettings {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("not a jdbc:postgresql: URL: " + jdbcUrl);
    }
  }

  /** Settings for a JDBC URL and optional credentials. */
  public static DatabaseSettings of(String jdbcUrl, String user, String password) {
    return new DatabaseSettings(jdbcUrl, user, password);
  }

  /**
   * Parses a database URL as users write it.
   *
   * @throws TollgateException of kind BAD_INPUT naming what was expected and what was found
   */
  public static DatabaseSettings parse(String url) {
    if (url == null || url.isBlank()) {
      throw TollgateException.badInput("database URL: expected a URL, found nothing");
    }
    String trimmed = url.strip();
    if (trimmed.startsWith("jdbc:postgresql:")) {
      return checked(new DatabaseSettings(trimmed, null, null));
    }
    if (!(trimmed.startsWith("postgres://") || trimmed.startsWith("postgresql://"))) {
      throw TollgateException.badInput(
          "database URL: expected jdbc:postgresql://… or postgres://user:password@host:port/db,"
              + " found '"
              + redact(trimmed)
              + "'");
    }
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw TollgateException.badInput(
          "database URL: "
              + e.getReason()
              + " at index "
              + e.getIndex()
              + " in "
              + redact(trimmed));
    }
    if (uri.getHost() == null) {
      throw TollgateException.badInput(
          "database URL: expected a host name after '//', found '" + redact(trimmed) + "'");
    }
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
    if (uri.getPort() > 0) {
      jdbc.append(':').append(uri.getPort());
    }
    jdbc.append(path);
    if (uri.getRawQuery() != null) {
      jdbc.append('?').append(uri.getRawQuery());
    }
    return checked(new DatabaseSettings(jdbc.toString(), user, password));
  }

  /**
   * {@code settings}, once the JDBC URL passed the checks the PostgreSQL driver would apply when
   * connecting (ports, properties with fixed values, integer properties, factory classes).
   *
   * @throws TollgateException of kind BAD_INPUT naming the wrong part of the URL
   */
  private static DatabaseSettings checked(DatabaseSettings settings) {
    Optional<String> problem = PostgresUrlCheck.problem(settings.jdbcUrl());
    if (problem.isPresent()) {
      throw TollgateException.badInput("database URL: " + problem.get());
    }
    return settings;
  }

  /**
   * The passwords these settings hold, for masking: {@link #password()} and every {@code password=}
   * parameter of the JDBC URL's query (URL-decoded); empty when there is none.
   */
  public List<String> passwords() {
    List<String> out = new ArrayList<>();
    if (password != null && !password.isEmpty()) {
      out.add(password);
    }
    int q = jdbcUrl.indexOf('?');
    if (q >= 0) {
      for (String pair : jdbcUrl.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equalsIgnoreCase("password")) {
          String raw = pair.substring(eq + 1);
          if (!raw.isEmpty()) {
            out.add(raw);
            try {
              String decoded = decode(raw);
              if (!decoded.equals(raw)) {
                out.add(decoded);
              }
            } catch (IllegalArgumentException malformed) {
              // Not URL-encoded after all: the raw text is what the server gets.
            }
          }
        }
      }
    }
    return List.copyOf(out);
  }

  /** Returns the URL with any password replaced by {@code ***}, safe to print. */
  public static String redact(String url) {
    return url.replaceAll("(://[^:/@]*:)[^@/]*@", "$1***@")
        .replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "DatabaseSettings["
        + redact(jdbcUrl)
        + (user == null ? "" : ", user=" + user)
        + (password == null ? "" : ", password=***")
        + "]";
  }
}
