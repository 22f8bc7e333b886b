package dev.tollgate.core.runs.template;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * A step that sends one HTTP request and succeeds when the response status is an expected one,
 * trying again after connection errors and unexpected status codes.
 *
 * <p>The URL, header values and body may hold {@code ${params.NAME}} placeholders: in the URL they
 * are replaced by the parameter's value percent-encoded, in headers and the body by the raw value.
 * <code>$${</code> writes a literal <code>${</code>. Redirects are not followed.
 *
 * @param name unique within the template
 * @param timeout the longest the step may take, all attempts and pauses included
 * @param method the request method, upper case
 * @param url an {@code http://} or {@code https://} URL, possibly with placeholders
 * @param headers header name to value, in the order written
 * @param body the request body; empty for none
 * @param expectStatus which status codes count as success
 * @param retries how many more attempts follow a failed one
 * @param retryInterval the pause between attempts
 * @param requestTimeout the longest one request may wait for the response headers
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record HttpStep(
    String name,
    Duration timeout,
    String method,
    String url,
    Map<String, String> headers,
    Optional<String> body,
    ExpectedStatus expectStatus,
    int retries,
    Duration retryInterval,
    Duration requestTimeout)
    implements Step {

  /** The request methods a step may use. */
  public static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  /** The default {@link #retryInterval}: one second. */
  public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(1);

  /** The default {@link #requestTimeout}: ten seconds. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** Checks every field. */
  public HttpStep {
    Steps.name(name);
    Steps.positive(timeout, "timeout of step " + name);
    Objects.requireNonNull(method, "method");
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException(
          "method of step "
              + name
              + " must be one of "
              + new TreeSet<>(METHODS)
              + " but was '"
              + method
              + "'");
    }
    Objects.requireNonNull(url, "url");
    if (!(url.startsWith("http://") || url.startsWith("https://"))) {
      throw new IllegalArgumentException(
          "url of step " + name + " must start with http:// or https:// but was '" + url + "'");
    }
    Map<String, String> h = new LinkedHashMap<>();
    Objects.requireNonNull(headers, "headers")
        .forEach(
            (k, v) ->
                h.put(
                    Objects.requireNonNull(k, "header name"),
                    Objects.requireNonNull(v, "value of header " + k)));
    headers = java.util.Collections.unmodifiableMap(h);
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(expectStatus, "expectStatus");
    if (retries < 0) {
      throw new IllegalArgumentException(
          "retries of step " + name + " must be >= 0 but was " + retries);
    }
    Steps.notNegative(retryInterval, "retry interval of step " + name);
    Steps.positive(requestTimeout, "request timeout of step " + name);
  }

  /** A builder for a GET of {@code url} expecting any 2xx status, without retries. */
  public static Builder builder(String name, Duration timeout, String url) {
    return new Builder(name, timeout, url);
  }

  @Override
  public String kind() {
    return "http";
  }

  /**
   * The status codes an HTTP step counts as success: a set of codes, or (when empty) any code from
   * 200 to 299.
   *
   * @param codes the accepted codes, each from 100 to 599; empty for any 2xx
   */
  public record ExpectedStatus(SortedSet<Integer> codes) {
    /** Any status from 200 to 299, the default. */
    public static final ExpectedStatus ANY_2XX = new ExpectedStatus(new TreeSet<>());

    /** Checks every code. */
    public ExpectedStatus {
      Objects.requireNonNull(codes, "codes");
      for (Integer c : codes) {
        if (c == null || c < 100 || c > 599) {
          throw new IllegalArgumentException(
              "an expected status must be from 100 to 599 but was " + c);
        }
      }
      codes = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(codes));
    }

    /** Exactly these codes. */
    public static ExpectedStatus of(List<Integer> codes) {
      if (codes.isEmpty()) {
        throw new IllegalArgumentException("expected status codes must not be empty");
      }
      return new ExpectedStatus(new TreeSet<>(codes));
    }

    /** Whether {@code status} counts as success. */
    public boolean matches(int status) {
      return codes.isEmpty() ? status >= 200 && status <= 299 : codes.contains(status);
    }

    /** {@code 2xx}, {@code 200} or {@code 200, 204}: how messages name it. */
    @Override
    public String toString() {
      return codes.isEmpty()
          ? "2xx"
          : codes.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
  }

  /** A builder of {@link HttpStep}s whose setters check their input. */
  public static final class Builder {
    private final String name;
    private final Duration timeout;
    private final String url;
    private String method = "GET";
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Optional<String> body = Optional.empty();
    private ExpectedStatus expectStatus = ExpectedStatus.ANY_2XX;
    private int retries;
    private Duration retryInterval = DEFAULT_RETRY_INTERVAL;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

    private Builder(String name, Duration timeout, String url) {
      this.name = Objects.requireNonNull(name, "name");
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      this.url = Objects.requireNonNull(url, "url");
    }

    /** Sets the method, one of {@link #METHODS}. */
    public Builder method(String value) {
      Objects.requireNonNull(value, "method");
      if (!METHODS.contains(value)) {
        throw new IllegalArgumentException(
            "method must be one of " + new TreeSet<>(METHODS) + " but was '" + value + "'");
      }
      this.method = value;
      return this;
    }

    /** Adds a header, replacing one of the same name. */
    public Builder header(String headerName, String value) {
      headers.put(
          Objects.requireNonNull(headerName, "headerName"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Sets the body; {@code null} clears it. */
    public Builder body(String value) {
      this.body = Optional.ofNullable(value);
      return this;
    }

    /** Sets the codes that count as success. */
    public Builder expectStatus(ExpectedStatus value) {
      this.expectStatus = Objects.requireNonNull(value, "expectStatus");
      return this;
    }

    /** Sets how many more attempts follow a failed one; at least 0. */
    public Builder retries(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("retries must be >= 0 but was " + value);
      }
      this.retries = value;
      return this;
    }

    /** Sets the pause between attempts; not negative. */
    public Builder retryInterval(Duration value) {
      this.retryInterval = Steps.notNegative(value, "retryInterval");
      return this;
    }

    /** Sets the longest one request may wait for the response headers; longer than 0. */
    public Builder requestTimeout(Duration value) {
      this.requestTimeout = Steps.positive(value, "requestTimeout");
      return this;
    }

    /** The step; checks the whole. */
    public HttpStep build() {
      return new HttpStep(
          name,
          timeout,
          method,
          url,
          headers,
          body,
          expectStatus,
          retries,
          retryInterval,
          requestTimeout);
    }
  }
}
