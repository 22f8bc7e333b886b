package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * A check that sends HTTP requests until {@code consecutiveSuccesses} answers in a row match, or
 * fails after {@code retries} further attempts. An answer matches when its status is expected and,
 * if a {@link JsonCondition} is given, the JSON body satisfies it. Needing several successes in a
 * row keeps a flapping service from passing on one lucky answer.
 *
 * @param name the step's name
 * @param url an http:// or https:// URL
 * @param method the request method; default GET
 * @param expectStatus the status codes that count as success; empty means any 2xx
 * @param json a condition on the JSON body, if any
 * @param retries how many failed attempts are tolerated before the check fails; default 0
 * @param interval the pause between attempts; default {@link #DEFAULT_INTERVAL}
 * @param timeout the longest the whole check may take; default {@link #DEFAULT_TIMEOUT}
 * @param consecutiveSuccesses how many matching answers in a row are needed; default 1
 * @param start a server to start first (pre-deploy smoke checks only)
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record HttpCheck(
    String name,
    String url,
    String method,
    List<Integer> expectStatus,
    Optional<JsonCondition> json,
    int retries,
    Duration interval,
    Duration timeout,
    int consecutiveSuccesses,
    Optional<ServerStart> start)
    implements Check {
  /** The default {@link #interval}: 2 seconds. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

  /** The default {@link #timeout}: 60 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** The request methods a check may use. */
  public static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

  /**
   * A condition on a JSON response body: the value at {@code path} (a JSON pointer such as {@code
   * /status}) must, as text, equal {@code equals}.
   */
  public record JsonCondition(String path, String equals) {
    /** Checks that the path is a JSON pointer and the expected value is present. */
    public JsonCondition {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException(
            "json.path must be a JSON pointer starting with '/' but was '" + path + "'");
      }
      Objects.requireNonNull(equals, "equals");
    }
  }

  /** Checks every field. */
  public HttpCheck {
    Specs.text(name, "name");
    requireHttpUrl(url, "url of check " + name);
    Objects.requireNonNull(method, "method");
    method = method.toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException(
          "method of check " + name + " must be one of " + METHODS + " but was '" + method + "'");
    }
    expectStatus = List.copyOf(Objects.requireNonNull(expectStatus, "expectStatus"));
    for (int code : expectStatus) {
      if (code < 100 || code > 599) {
        throw new IllegalArgumentException(
            "expect_status of check " + name + " must be 100..599 but was " + code);
      }
    }
    Objects.requireNonNull(json, "json");
    Specs.atLeast(retries, 0, "retries of check " + name);
    Specs.notNegative(interval, "interval of check " + name);
    Specs.positive(timeout, "timeout of check " + name);
    Specs.atLeast(consecutiveSuccesses, 1, "consecutive_successes of check " + name);
    Objects.requireNonNull(start, "start");
  }

  /** A GET check expecting any 2xx once, with default timings. */
  public static HttpCheck of(String name, String url) {
    return new HttpCheck(
        name,
        url,
        "GET",
        List.of(),
        Optional.empty(),
        0,
        DEFAULT_INTERVAL,
        DEFAULT_TIMEOUT,
        1,
        Optional.empty());
  }

  /** Whether {@code status} counts as success. */
  public boolean statusMatches(int status) {
    return expectStatus.isEmpty() ? status >= 200 && status < 300 : expectStatus.contains(status);
  }

  static String requireHttpUrl(String url, String name) {
    Objects.requireNonNull(url, name);
    if (!(url.startsWith("http://") || url.startsWith("https://")) || url.length() < 10) {
      throw new IllegalArgumentException(
          name + " must be an http:// or https:// URL but was '" + url + "'");
    }
    return url;
  }
}
