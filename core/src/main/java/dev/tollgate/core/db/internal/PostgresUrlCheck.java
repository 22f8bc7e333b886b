package dev.tollgate.core.db.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * The checks a {@code jdbc:postgresql:} URL must pass before Tollgate connects with it: what the
 * PostgreSQL driver would refuse (or silently ignore) is found here and named, so that a wrong part
 * of the URL is bad input instead of a connection failure.
 *
 * <p>It checks ports (1 to 65535), that the driver can read the URL ({@link Driver#parseURL}), the
 * driver's properties with a fixed set of values ({@link PGProperty#getChoices}), properties whose
 * default is an integer, and properties that name a class (which must be on the class path and of
 * the right type). Property names the driver does not know are left alone, as the driver does.
 * Messages never contain a password.
 */
public final class PostgresUrlCheck {
  private PostgresUrlCheck() {}

  private static final String PREFIX = "jdbc:postgresql:";

  /** Properties naming a class the driver instantiates, and the type it must have. */
  private static final Map<String, Class<?>> CLASS_PROPERTIES =
      Map.of(
          PGProperty.SOCKET_FACTORY.getName(), javax.net.SocketFactory.class,
          PGProperty.SSL_FACTORY.getName(), javax.net.ssl.SSLSocketFactory.class,
          PGProperty.SSL_HOSTNAME_VERIFIER.getName(), javax.net.ssl.HostnameVerifier.class,
          PGProperty.SSL_PASSWORD_CALLBACK.getName(),
              javax.security.auth.callback.CallbackHandler.class,
          PGProperty.AUTHENTICATION_PLUGIN_CLASS_NAME.getName(),
              org.postgresql.plugin.AuthenticationPlugin.class);

  /**
   * Properties whose listed choices are not the whole story: the driver also takes {@code
   * protocolVersion=3.0}, and {@code requireAuth} takes a comma-separated list.
   */
  private static final Set<String> OPEN_CHOICES =
      Set.of(PGProperty.PROTOCOL_VERSION.getName(), PGProperty.REQUIRE_AUTH.getName());

  /** Properties whose choices the driver compares with case; it ignores case for the others. */
  private static final Set<String> EXACT_CHOICES = Set.of(PGProperty.TARGET_SERVER_TYPE.getName());

  /** Properties that are part of the address or secret, not settings to check. */
  private static final Set<String> SKIPPED =
      Set.of(
          PGProperty.PG_HOST.getName(),
          PGProperty.PG_PORT.getName(),
          PGProperty.PG_DBNAME.getName(),
          PGProperty.USER.getName(),
          PGProperty.PASSWORD.getName(),
          PGProperty.SSL_PASSWORD.getName());

  /**
   * What is wrong with {@code jdbcUrl}, as a sentence naming the part ({@code port must be a number
   * from 1 to 65535 but was '99999'}), or empty when the driver will accept it.
   */
  public static Optional<String> problem(String jdbcUrl) {
    if (!jdbcUrl.startsWith(PREFIX)) {
      return Optional.of("expected a URL starting with " + PREFIX);
    }
    // Ports first: the driver logs a warning of its own for them before refusing the URL.
    for (String port : ports(jdbcUrl.substring(PREFIX.length()))) {
      if (!validPort(port)) {
        return Optional.of("port must be a number from 1 to 65535 but was '" + port + "'");
      }
    }
    Properties properties = Driver.parseURL(jdbcUrl, null);
    if (properties == null) {
      return Optional.of(
          "the PostgreSQL driver cannot read it; expected"
              + " jdbc:postgresql://host:port/database?name=value&…");
    }
    List<String> names = new ArrayList<>(properties.stringPropertyNames());
    names.sort(null);
    for (String name : names) {
      PGProperty property = PGProperty.forName(name);
      if (property == null || SKIPPED.contains(name)) {
        continue;
      }
      Optional<String> problem = problem(property, properties.getProperty(name));
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> problem(PGProperty property, String value) {
    String name = property.getName();
    String[] choices = property.getChoices();
    if (choices != null && !OPEN_CHOICES.contains(name)) {
      boolean exact = EXACT_CHOICES.contains(name);
      boolean known =
          Arrays.stream(choices).anyMatch(c -> exact ? c.equals(value) : c.equalsIgnoreCase(value));
      return known
          ? Optional.empty()
          : Optional.of(
              name + " must be one of " + String.join(", ", choices) + " but was '" + value + "'");
    }
    if (choices == null && isInteger(property.getDefaultValue()) && !isInteger(value)) {
      return Optional.of(name + " must be an integer but was '" + value + "'");
    }
    Class<?> type = CLASS_PROPERTIES.get(name);
    if (type != null && !value.isEmpty()) {
      Optional<Class<?>> named = load(value);
      if (named.isEmpty()) {
        return Optional.of(name + " names the class " + value + ", which is not on the class path");
      }
      if (!type.isAssignableFrom(named.get())) {
        return Optional.of(
            name + " names the class " + value + ", which is not a " + type.getName());
      }
    }
    return Optional.empty();
  }

  /** The ports written in the host list of the URL after {@code jdbc:postgresql:}. */
  private static List<String> ports(String rest) {
    List<String> ports = new ArrayList<>();
    if (!rest.startsWith("//")) {
      return ports;
    }
    String authority = rest.substring(2);
    int end = authority.length();
    for (char c : new char[] {'/', '?'}) {
      int at = authority.indexOf(c);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    for (String host : authority.substring(0, end).split(",", -1)) {
      int close = host.startsWith("[") ? host.indexOf(']') : -1;
      String afterHost = close >= 0 ? host.substring(close + 1) : host;
      int colon = close >= 0 ? (afterHost.startsWith(":") ? 0 : -1) : afterHost.lastIndexOf(':');
      if (colon >= 0) {
        ports.add(afterHost.substring(colon + 1));
      }
    }
    return ports;
  }

  private static boolean validPort(String port) {
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
      return false;
    }
    int n = Integer.parseInt(port);
    return n >= 1 && n <= 65535;
  }

  private static boolean isInteger(String text) {
    if (text == null) {
      return false;
    }
    try {
      Integer.parseInt(text); // as the driver reads it
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Optional<Class<?>> load(String className) {
    for (ClassLoader loader :
        new ClassLoader[] {
          Driver.class.getClassLoader(), Thread.currentThread().getContextClassLoader()
        }) {
      if (loader == null) {
        continue;
      }
      try {
        return Optional.of(Class.forName(className, false, loader));
      } catch (ClassNotFoundException | LinkageError e) {
        // try the next loader
      }
    }
    return Optional.empty();
  }
}
