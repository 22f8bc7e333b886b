package dev.tollgate.actions.github;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
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
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * The HTTP transport under hub4j's {@code GitHub}: {@code java.net.http} with a timeout per request
 * and the bounded retries of a {@link RetryPolicy}.
 *
 * <p>Retrying here, below hub4j, sees every answer before hub4j turns it into an exception, and
 * leaves hub4j's own rate-limit and abuse handlers with nothing to wait for (they are set to fail),
 * so the total wait has one bound. Answers are read whole (GitHub's pages are small), so a
 * rate-limit answer's body can be inspected and still handed to hub4j.
 */
final class RetryingConnector implements GitHubConnector {
  private static final String SECONDARY_LIMIT = "secondary rate limit";
  private static final Duration SECONDARY_LIMIT_WAIT = Duration.ofMinutes(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final HttpClient client;
  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final Clock clock;
  private final Duration requestTimeout;
  private final String userAgent;

  /**
   * A connector sending through {@code client}.
   *
   * @param requestTimeout how long one request may take before it counts as dropped
   */
  public RetryingConnector(
      HttpClient client,
      RetryPolicy policy,
      Sleeper sleeper,
      Clock clock,
      Duration requestTimeout,
      String userAgent) {
    this.client = client;
    this.policy = policy;
    this.sleeper = sleeper;
    this.clock = clock;
    this.requestTimeout = requestTimeout;
    this.userAgent = userAgent;
  }

  @Override
  public GitHubConnectorResponse send(GitHubConnectorRequest request) throws IOException {
    byte[] body = null;
    if (request.hasBody() && request.body() != null) {
      try (InputStream in = request.body()) {
        body = in.readAllBytes();
      }
    }
    boolean repeatable = !"POST".equalsIgnoreCase(request.method());
    Duration waited = Duration.ZERO;
    for (int attempt = 1; ; attempt++) {
      Response response;
      try {
        response = sendOnce(request, body);
      } catch (IOException e) {
        // A POST may have been acted on before the connection dropped: never repeat it here.
        Duration wait = backoff(attempt);
        if (!repeatable || !mayRetry(attempt, waited, wait)) {
          throw settled(request, e);
        }
        pause(wait);
        waited = waited.plus(wait);
        continue;
      }
      Optional<Duration> wait = retryAfter(response, repeatable, attempt);
      if (wait.isEmpty() || !mayRetry(attempt, waited, wait.get())) {
        return response;
      }
      response.close();
      pause(wait.get());
      waited = waited.plus(wait.get());
    }
  }

  /**
   * The failure as a plain {@link IOException}: hub4j repeats requests whose socket failed ({@code
   * SocketException} and kin) on its own, whatever their method, and the retries here are the only
   * ones that should happen.
   */
  private static IOException settled(GitHubConnectorRequest request, IOException e) {
    if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
      return e;
    }
    String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new IOException(request.method() + " " + request.url() + ": " + what, e);
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
  private Optional<Duration> retryAfter(Response r, boolean repeatable, int attempt)
      throws IOException {
    int status = r.statusCode();
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
          status == 429 || readBody(r).contains(SECONDARY_LIMIT)
              ? SECONDARY_LIMIT_WAIT
              : backoff(attempt));
    }
    return Optional.empty();
  }

  private boolean isRateLimited(Response r) throws IOException {
    return r.header("Retry-After") != null
        || "0".equals(r.header("X-RateLimit-Remaining"))
        || r.header("gh-limited-by") != null
        || readBody(r).toLowerCase(Locale.ROOT).contains(SECONDARY_LIMIT);
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
    if ("0".equals(r.header("X-RateLimit-Remaining")) && r.header("X-RateLimit-Reset") != null) {
      try {
        Instant reset =
            Instant.ofEpochSecond(Long.parseLong(r.header("X-RateLimit-Reset").strip()));
        return Optional.of(positive(Duration.between(clock.instant(), reset)).plusSeconds(1));
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

  private static String readBody(Response r) throws IOException {
    try (InputStream in = r.bodyStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private Response sendOnce(GitHubConnectorRequest request, byte[] body) throws IOException {
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(request.url().toURI()).timeout(requestTimeout);
    } catch (URISyntaxException e) {
      throw new IOException("invalid URL " + request.url(), e);
    }
    for (Map.Entry<String, List<String>> h : request.allHeaders().entrySet()) {
      if (h.getKey() != null && h.getValue() != null && !h.getValue().isEmpty()) {
        b.header(h.getKey(), String.join(",", h.getValue()));
      }
    }
    b.setHeader("User-Agent", userAgent);
    b.method(
        request.method(),
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    HttpResponse<byte[]> response;
    try {
      response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException io =
          new InterruptedIOException("interrupted calling " + request.url());
      io.initCause(e);
      throw io;
    }
    return new Response(request, response.statusCode(), response.headers().map(), response.body());
  }

  /** One answer, read whole. */
  private static final class Response extends GitHubConnectorResponse.ByteArrayResponse {
    private final byte[] bytes;

    Response(
        GitHubConnectorRequest request,
        int status,
        Map<String, List<String>> headers,
        byte[] bytes) {
      super(request, status, headers);
      this.bytes = bytes;
    }

    @Override
    protected InputStream rawBodyStream() {
      return new ByteArrayInputStream(bytes == null ? new byte[0] : bytes);
    }
  }
}
