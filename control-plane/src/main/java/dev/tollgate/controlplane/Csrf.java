package dev.tollgate.controlplane;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * The cross-site request checks of a state-changing call whose credentials a browser could send on
 * its own (a session cookie, the loopback address), in three layers: the body must be {@code
 * application/json} (a cross-site form cannot send it without a CORS preflight, which is never
 * granted); the browser's {@code Sec-Fetch-Site} must say {@code same-origin} (or, without it, the
 * {@code Origin} must be this server); and the {@code X-Tollgate-CSRF} header must repeat the
 * {@code tollgate-csrf} cookie that {@code GET /api/session} sets (double submit).
 */
final class Csrf {
  static final String COOKIE = "tollgate-csrf";
  static final String HEADER = "X-Tollgate-CSRF";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Csrf() {}

  /** {@code GET /api/session}: who is calling, what they may do, and the CSRF token to send. */
  static void session(ControlPlane plane, Exchange x) throws IOException {
    String token = ensureCookie(x.request(), x.response());
    ObjectNode body = Exchange.JSON.createObjectNode();
    body.put("user", x.identity().name());
    ArrayNode scopes = body.putArray("scopes");
    for (Scope s : Scope.values()) {
      if (x.identity().has(s)) {
        scopes.add(s.wireName());
      }
    }
    body.put("readOnly", plane.readOnly());
    body.put("csrfToken", token);
    body.put("csrfHeader", HEADER);
    x.ok(body);
  }

  /**
   * The session's token: the {@code tollgate-csrf} cookie's value, or a new one set as that cookie
   * ({@code HttpOnly}, {@code SameSite=Strict}, scoped to the mount path).
   */
  static String ensureCookie(HttpServletRequest req, HttpServletResponse resp) {
    Optional<String> existing = cookie(req);
    if (existing.isPresent()) {
      return existing.get();
    }
    String token = newToken();
    Cookie cookie = new Cookie(COOKIE, token);
    cookie.setHttpOnly(true);
    cookie.setSecure(req.isSecure());
    String path = req.getContextPath() + req.getServletPath();
    cookie.setPath(path.isEmpty() ? "/" : path);
    cookie.setAttribute("SameSite", "Strict");
    resp.addCookie(cookie);
    return token;
  }

  /**
   * Refuses a console form post that is cross-site or lacks the session's token in its {@code csrf}
   * field.
   *
   * @throws ApiException 415 for a body that is not a form, 403 otherwise
   */
  static void checkForm(HttpServletRequest req, String token) {
    String type = Optional.ofNullable(req.getContentType()).orElse("");
    if (!type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      throw ApiException.of(
          415,
          "api.csrf",
          "expected a form post but found " + (type.isEmpty() ? "none" : type),
          "");
    }
    sameSite(req);
    String sent = Optional.ofNullable(req.getParameter("csrf")).orElse("");
    if (!MessageDigest.isEqual(
        token.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8))) {
      throw ApiException.of(
          403,
          "api.csrf",
          "This form does not carry this browser's session token, so it may come from another"
              + " site.",
          "Reload the page and try again.");
    }
  }

  private static void sameSite(HttpServletRequest req) {
    String site = req.getHeader("Sec-Fetch-Site");
    if (site != null) {
      if (!site.equals("same-origin") && !site.equals("none")) {
        throw crossSite("Sec-Fetch-Site is '" + site + "'");
      }
    } else {
      String origin = req.getHeader("Origin");
      if (origin != null && !sameOrigin(origin, req)) {
        throw crossSite("Origin '" + origin + "' is not this server");
      }
    }
  }

  /**
   * Refuses a state-changing request that fails any layer.
   *
   * @throws ApiException 415 without a JSON body, 403 for a cross-site request or a missing or
   *     wrong token
   */
  static void check(HttpServletRequest req) {
    String type = Optional.ofNullable(req.getContentType()).orElse("");
    if (!type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw ApiException.of(
          415,
          "api.csrf",
          "expected Content-Type application/json for "
              + req.getMethod()
              + " but found "
              + (type.isEmpty() ? "none" : "'" + type + "'"),
          "send the request body as JSON (an empty body is fine)");
    }
    sameSite(req);
    String expected = cookie(req).orElse("");
    String sent = Optional.ofNullable(req.getHeader(HEADER)).orElse("");
    if (expected.isEmpty()
        || !MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8))) {
      throw ApiException.of(
          403,
          "api.csrf",
          "the " + HEADER + " header does not match this browser's session token",
          "read csrfToken from GET /api/session and send it as "
              + HEADER
              + ", or authenticate with Authorization: Bearer <token>");
    }
  }

  private static ApiException crossSite(String why) {
    return ApiException.of(
        403,
        "api.csrf",
        "cross-site request refused: " + why,
        "state-changing calls must come from the console's own pages or carry a bearer token");
  }

  private static boolean sameOrigin(String origin, HttpServletRequest req) {
    String host = req.getHeader("Host");
    if (host == null || origin.equals("null")) {
      return false;
    }
    try {
      URI uri = new URI(origin);
      String authority = uri.getRawAuthority();
      return authority != null && authority.equalsIgnoreCase(host);
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static Optional<String> cookie(HttpServletRequest req) {
    Cookie[] cookies = req.getCookies();
    if (cookies == null) {
      return Optional.empty();
    }
    for (Cookie c : cookies) {
      if (c.getName().equals(COOKIE) && c.getValue() != null && c.getValue().length() >= 32) {
        return Optional.of(c.getValue());
      }
    }
    return Optional.empty();
  }

  private static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
