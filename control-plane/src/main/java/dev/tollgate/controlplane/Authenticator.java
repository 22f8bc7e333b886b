package dev.tollgate.controlplane;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * How the control plane learns who is calling. The host owns identity: it passes an authenticator
 * that reads its own session, or uses one of the ones here. An empty result means "not
 * authenticated" (401); a present one is checked against each call's {@link Scope}.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
@FunctionalInterface
public interface Authenticator {

  /** The identity behind this request, or empty when it carries none this authenticator trusts. */
  Optional<Identity> authenticate(HttpServletRequest request);

  /**
   * Whether a request this authenticator accepted carried its credentials explicitly (an {@code
   * Authorization} header) rather than ambiently (a cookie, the network address). Explicit
   * credentials are not sent by a browser on its own, so such requests skip the cross-site checks.
   */
  default boolean explicit(HttpServletRequest request) {
    return false;
  }

  /**
   * Anyone on this machine, as {@code name} with every scope: accepts a request only when it comes
   * from a loopback address <em>and</em> names a loopback host ({@code localhost}, {@code
   * 127.0.0.1}, {@code [::1]}), so a web page whose DNS name was rebound to 127.0.0.1 gets nothing.
   * For a console bound to loopback; {@code tollgate serve} says so when it starts.
   */
  static Authenticator loopback(String name) {
    Identity identity = Identity.withAllScopes(name);
    return request ->
        isLoopbackAddress(request.getRemoteAddr()) && isLoopbackHost(request.getServerName())
            ? Optional.of(identity)
            : Optional.empty();
  }

  /**
   * Identity headers set by a reverse proxy (e.g. {@code X-Forwarded-User}), trusted only from
   * {@code proxies} (exact addresses); the name gets {@code scopes}. A request from anywhere else
   * gets nothing, whatever headers it sends.
   */
  static Authenticator trustedProxy(Set<String> proxies, String userHeader, Set<Scope> scopes) {
    Set<String> trusted = Set.copyOf(proxies);
    Set<Scope> granted = scopes.isEmpty() ? Set.of() : EnumSet.copyOf(scopes);
    return request -> {
      if (!trusted.contains(request.getRemoteAddr())) {
        return Optional.empty();
      }
      String user = request.getHeader(userHeader);
      if (user == null || user.isBlank() || user.chars().anyMatch(Character::isISOControl)) {
        return Optional.empty();
      }
      return Optional.of(new Identity(user.strip(), granted));
    };
  }

  /** The first identity any of {@code authenticators} finds, in order. */
  static Authenticator firstOf(Authenticator... authenticators) {
    List<Authenticator> list = new ArrayList<>(Arrays.asList(authenticators));
    return new Authenticator() {
      @Override
      public Optional<Identity> authenticate(HttpServletRequest request) {
        for (Authenticator a : list) {
          Optional<Identity> identity = a.authenticate(request);
          if (identity.isPresent()) {
            return identity;
          }
        }
        return Optional.empty();
      }

      @Override
      public boolean explicit(HttpServletRequest request) {
        for (Authenticator a : list) {
          if (a.authenticate(request).isPresent()) {
            return a.explicit(request);
          }
        }
        return false;
      }
    };
  }

  /** Whether {@code address} (an IP literal from the connection) is a loopback address. */
  static boolean isLoopbackAddress(String address) {
    // IP literals only: a host name is never resolved here.
    if (address == null
        || !(address.matches("\\d{1,3}(\\.\\d{1,3}){3}")
            || address.matches("\\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*(%\\w+)?\\]?"))) {
      return false;
    }
    try {
      return InetAddress.getByName(address.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Whether {@code host} (from the request's Host header) names this machine's loopback. */
  static boolean isLoopbackHost(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.endsWith(".localhost") || isLoopbackAddress(h);
  }
}
