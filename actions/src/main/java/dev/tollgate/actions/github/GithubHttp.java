package dev.tollgate.actions.github;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The HTTP transport to the GitHub REST API: one request at a time, a timeout per request, the
 * bounded retries of a {@link RetryPolicy}, and redirects followed as GitHub expects (the token is
 * dropped when the redirect leaves the API's host).
 *
 * <p>Requests go through {@link HttpURLConnection}, which is part of every JVM's start-up set:
 * {@code java.net.http}'s client costs a few hundred milliseconds to build on a cold JVM (its
 * selector thread, its TLS context and the trust store even for a plain-http server), more than a
 * whole gate run spends on the network against a server that answers at once.
 *
 * <p>{@code HttpURLConnection} refuses {@code PATCH} (GitHub's verb for edits) in {@code
 * setRequestMethod}. Where {@code java.base} opens {@code java.net} (and, for https, {@code
 * sun.net.www.protocol.https}) to this code, as the runner jar's manifest does ({@code Add-Opens}),
 * the connection's method field is set directly, the long-standing workaround of HTTP clients built
 * on it; elsewhere, as in an application that embeds the library, {@code PATCH} goes through a
 * {@code java.net.http} client built the first time one is sent.
 *
 * <p>Answers are read whole (GitHub's pages are small), so an error's body can be read after the
 * status was looked at.
 */
final class GithubHttp {
  private static final String SECONDARY_LIMIT = "secondary rate limit";
  private static final Duration SECONDARY_LIMIT_WAIT = Duration.ofMinutes(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final int MAX_REDIRECTS = 5;

  private final String endpoint;
  private final GithubToken token;
  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final Clock clock;
  private final Duration requestTimeout;
  private final String userAgent;
  private HttpClient patchClient;

  /**
   * A transport to the API at {@code apiUrl} (a trailing slash is dropped).
   *
   * @param requestTimeout how long connecting, and then one read, may take before the request
   *     counts as dropped
   */
  GithubHttp(
      URI apiUrl,
      GithubToken token,
      RetryPolicy policy,
      Sleeper sleeper,
      Clock clock,
      Duration requestTimeout,
      String userAgent) {
    String e = apiUrl.toString();
    while (e.endsWith("/")) {
      e = e.substring(0, e.length() - 1);
    }
    this.endpoint = e;
    this.token = token;
    this.policy = policy;
    this.sleeper = sleeper;
    this.clock = clock;
    this.requestTimeout = requestTimeout;
    this.userAgent = userAgent;
  }

  /** The API root without a trailing slash, e.g. {@code https://ghe.example/api/v3}. */
  String endpoint() {
    return endpoint;
  }

  /** An answer, read whole. */
  record Response(int status, Map<String, List<String>> headers, byte[] body) {
    /** The first value of header {@code name} (any case), or null. */
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body as UTF-8 text. */
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * An error answer (status 400 or more) that stands after the retries: its HTTP status and its
   * body as text.
   */
  static final class Failure extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String body;

    Failure(String method, String url, int status, String body) {
      super(method + " " + url + ": HTTP " + status);
      this.status = status;
      this.body = body;
    }

    int status() {
      return status;
    }

    String body() {
      return body;
    }
  }

  /**
   * Sends {@code method} to {@code pathOrUrl} (below the API root when it starts with {@code /},
   * else a whole URL) with {@code json} as the body (none when null), retrying as the policy
   * allows, and returns the answer.
   *
   * @throws Failure for an answer of status 400 or more that stands
   * @throws IOException when no answer came: {@code METHOD URL: what happened}
   */
  Response send(String method, String pathOrUrl, byte[] json) throws IOException {
    String url = pathOrUrl.startsWith("/") ? endpoint + pathOrUrl : pathOrUrl;
    boolean withToken = true;
    for (int redirects = 0; ; redirects++) {
      Response r = sendRetrying(method, url, json, withToken);
      if (!isRedirect(r.status())) {
        if (r.status() >= 400) {
          throw new Failure(method, url, r.status(), r.text());
        }
        return r;
      }
      String location = r.header("Location");
      if (location == null || redirects >= MAX_REDIRECTS) {
        throw new Failure(method, url, r.status(), r.text());
      }
      URI from = URI.create(url);
      URI to = from.resolve(location);
      if (!from.getScheme().equalsIgnoreCase(to.getScheme())
          && !"https".equalsIgnoreCase(to.getScheme())) {
        throw new IOException(
            method + " " + url + ": redirected to " + to + ", which is not https; not followed");
      }
      // The token goes to the API's own host only.
      withToken =
          withToken
              && to.getHost() != null
              && to.getHost().equalsIgnoreCase(from.getHost())
              && to.getPort() == from.getPort();
      if (r.status() == 303
          || ((r.status() == 301 || r.status() == 302) && "POST".equals(method))) {
        method = "GET";
        json = null;
      }
      url = to.toString();
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private Response sendRetrying(String method, String url, byte[] json, boolean withToken)
      throws IOException {
    // A POST may have been acted on before its answer was lost: never repeat it blindly.
    boolean repeatable = !"POST".equals(method);
    Duration waited = Duration.ZERO;
    for (int attempt = 1; ; attempt++) {
      Response response;
      try {
        response = exchange(method, url, json, withToken);
      } catch (IOException e) {
        Duration wait = backoff(attempt);
        if (!repeatable || !mayRetry(attempt, waited, wait)) {
          throw settled(method, url, e);
        }
        pause(wait);
        waited = waited.plus(wait);
        continue;
      }
      Optional<Duration> wait = retryAfter(response, repeatable, attempt);
      if (wait.isEmpty() || !mayRetry(attempt, waited, wait.get())) {
        return response;
      }
      pause(wait.get());
      waited = waited.plus(wait.get());
    }
  }

  private static IOException settled(String method, String url, IOException e) {
    if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
      return e;
    }
    String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new IOException(method + " " + url + ": " + what, e);
  }

  private boolean mayRetry(int attempt, Duration waited, Duration wait) {
    return attempt < policy.maxAttempts()
        && waited.plus(wait).compareTo(policy.maxTotalWait()) <= 0;
  }

  private void pause(Duration wait) throws InterruptedIOException {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException io = new InterruptedIOException("interrupted while waiting to retry");
      io.initCause(e);
      throw io;
    }
  }

  /** How long to wait before repeating the request, or empty when the answer stands. */
  private Optional<Duration> retryAfter(Response r, boolean repeatable, int attempt) {
    int status = r.status();
    if (status == 502 || status == 503 || status == 504) {
      // A POST that timed out at GitHub's edge may still have created what it asked for.
      return repeatable ? Optional.of(hint(r).orElse(backoff(attempt))) : Optional.empty();
    }
    if (status == 429 || (status == 403 && isRateLimited(r))) {
      // GitHub did not act on a rate-limited request, whatever its method.
      Optional<Duration> hint = hint(r);
      if (hint.isPresent()) {
        return hint;
      }
      return Optional.of(
          status == 429 || r.text().contains(SECONDARY_LIMIT)
              ? SECONDARY_LIMIT_WAIT
              : backoff(attempt));
    }
    return Optional.empty();
  }

  private static boolean isRateLimited(Response r) {
    return r.header("Retry-After") != null
        || "0".equals(r.header("X-RateLimit-Remaining"))
        || r.header("gh-limited-by") != null
        || r.text().toLowerCase(Locale.ROOT).contains(SECONDARY_LIMIT);
  }

  /** What GitHub says to wait: {@code Retry-After}, or the rate limit's reset when it is spent. */
  private Optional<Duration> hint(Response r) {
    String retryAfter = r.header("Retry-After");
    if (retryAfter != null) {
      try {
        return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.strip()))));
      } catch (NumberFormatException e) {
        try {
          Instant at =
              ZonedDateTime.parse(retryAfter.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
                  .toInstant();
          return Optional.of(positive(Duration.between(clock.instant(), at)));
        } catch (DateTimeParseException ignored) {
          // An unreadable hint is no hint.
        }
      }
    }
    String reset = r.header("X-RateLimit-Reset");
    if ("0".equals(r.header("X-RateLimit-Remaining")) && reset != null) {
      try {
        Instant at = Instant.ofEpochSecond(Long.parseLong(reset.strip()));
        return Optional.of(positive(Duration.between(clock.instant(), at)).plusSeconds(1));
      } catch (NumberFormatException ignored) {
        // As above.
      }
    }
    return Optional.empty();
  }

  private static Duration positive(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  private Duration backoff(int attempt) {
    Duration d = policy.initialBackoff().multipliedBy(1L << Math.min(attempt - 1, 10));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  /**
   * One request and its answer, without retries or redirects; any status is an answer.
   *
   * @throws IOException when no answer came
   */
  Response exchange(String method, String url, byte[] json, boolean withToken) throws IOException {
    if ("PATCH".equals(method) && !CustomMethod.AVAILABLE) {
      return patch(url, json, withToken);
    }
    HttpURLConnection c;
    try {
      c = (HttpURLConnection) new URI(url).toURL().openConnection();
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException("invalid URL " + url, e);
    }
    try {
      if ("PATCH".equals(method)) {
        if (!CustomMethod.set(c, method)) {
          return patch(url, json, withToken);
        }
      } else {
        c.setRequestMethod(method);
      }
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      int timeout = (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis());
      c.setConnectTimeout(timeout);
      c.setReadTimeout(timeout);
      for (Map.Entry<String, String> h : headers(withToken, json != null).entrySet()) {
        c.setRequestProperty(h.getKey(), h.getValue());
      }
      if (json != null) {
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(json.length);
        try (OutputStream out = c.getOutputStream()) {
          out.write(json);
        }
      }
      int status = c.getResponseCode();
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (Map.Entry<String, List<String>> h : c.getHeaderFields().entrySet()) {
        if (h.getKey() != null) {
          headers.put(h.getKey(), h.getValue());
        }
      }
      byte[] body;
      try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
        body = in == null ? new byte[0] : readAll(in);
      }
      return new Response(status, headers, body);
    } catch (IllegalArgumentException e) {
      // A header value the connection refuses, such as a line break in a token.
      throw new IOException(e.getMessage(), e);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  private Map<String, String> headers(boolean withToken, boolean hasBody) {
    Map<String, String> h = new TreeMap<>();
    if (withToken) {
      h.put("Authorization", "Bearer " + token.value());
    }
    h.put("Accept", "application/vnd.github+json");
    h.put("X-GitHub-Api-Version", "2022-11-28");
    h.put("User-Agent", userAgent);
    if (hasBody) {
      h.put("Content-Type", "application/json; charset=utf-8");
    }
    return h;
  }

  private Response patch(String url, byte[] json, boolean withToken) throws IOException {
    if (patchClient == null) {
      patchClient =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(requestTimeout)
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
    }
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(new URI(url)).timeout(requestTimeout);
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException("invalid URL " + url, e);
    }
    for (Map.Entry<String, String> h : headers(withToken, json != null).entrySet()) {
      b.setHeader(h.getKey(), h.getValue());
    }
    b.method(
        "PATCH",
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(json));
    HttpResponse<byte[]> r;
    try {
      r = patchClient.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException io = new InterruptedIOException("interrupted calling " + url);
      io.initCause(e);
      throw io;
    }
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(r.headers().map());
    return new Response(r.statusCode(), headers, r.body() == null ? new byte[0] : r.body());
  }

  /**
   * Sets a method {@link HttpURLConnection#setRequestMethod} refuses, through its {@code method}
   * field, when {@code java.base} opens the packages involved to this code.
   */
  static final class CustomMethod {
    private static final java.lang.reflect.Field METHOD = field(HttpURLConnection.class, "method");

    /** Whether plain-http connections can take any method here. */
    static final boolean AVAILABLE = METHOD != null;

    private CustomMethod() {}

    private static java.lang.reflect.Field field(Class<?> type, String name) {
      if (!Object.class.getModule().isOpen(type.getPackageName(), CustomMethod.class.getModule())) {
        return null;
      }
      try {
        java.lang.reflect.Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }

    /**
     * Sets {@code method} on {@code c} and on the connection an https one delegates to; false, with
     * nothing sent, when that cannot be done.
     */
    static boolean set(HttpURLConnection c, String method) {
      if (METHOD == null) {
        return false;
      }
      try {
        HttpURLConnection target = c;
        for (Class<?> t = c.getClass();
            t != null && t != HttpURLConnection.class;
            t = t.getSuperclass()) {
          java.lang.reflect.Field delegate;
          try {
            delegate = t.getDeclaredField("delegate");
          } catch (NoSuchFieldException e) {
            continue;
          }
          if (!Object.class
              .getModule()
              .isOpen(t.getPackageName(), CustomMethod.class.getModule())) {
            return false;
          }
          delegate.setAccessible(true);
          if (delegate.get(c) instanceof HttpURLConnection inner) {
            METHOD.set(inner, method);
          }
        }
        METHOD.set(target, method);
        return method.equals(c.getRequestMethod());
      } catch (ReflectiveOperationException | RuntimeException e) {
        return false;
      }
    }
  }
}
