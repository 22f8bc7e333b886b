package dev.tollgate.controlplane;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/** One API call being answered: the request, the caller, the path's parameters and the reply. */
final class Exchange {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 1 << 20;

  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private final Identity identity;
  private final Map<String, String> pathParams;

  Exchange(
      HttpServletRequest request,
      HttpServletResponse response,
      Identity identity,
      Map<String, String> pathParams) {
    this.request = request;
    this.response = response;
    this.identity = identity;
    this.pathParams = Map.copyOf(pathParams);
  }

  HttpServletRequest request() {
    return request;
  }

  Identity identity() {
    return identity;
  }

  /** A parameter of the route's path, e.g. {@code {id}}. */
  String path(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalStateException("route has no {" + name + "}");
    }
    return value;
  }

  /** A query parameter, empty when absent or blank. */
  Optional<String> query(String name) {
    return Optional.ofNullable(request.getParameter(name))
        .map(String::strip)
        .filter(s -> !s.isEmpty());
  }

  /** A positive whole-number query parameter within {@code [1, max]}, or {@code fallback}. */
  int intQuery(String name, int fallback, int max) {
    Optional<String> raw = query(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value >= 1 && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badRequest(
        "query parameter "
            + name
            + ": expected a whole number in 1.."
            + max
            + " but found '"
            + raw.get()
            + "'",
        null);
  }

  /** A positive id in the path (e.g. a run id). */
  long idPath(String name) {
    String raw = path(name);
    try {
      long value = Long.parseLong(raw);
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badRequest(
        name + " in the path: expected a positive whole number but found '" + raw + "'", null);
  }

  /** An ISO-8601 instant query parameter, e.g. {@code 2026-12-06T10:00:00Z}. */
  Optional<Instant> instantQuery(String name) {
    Optional<String> raw = query(name);
    try {
      return raw.map(Instant::parse);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          "query parameter "
              + name
              + ": expected an ISO-8601 instant such as"
              + " 2026-12-06T10:00:00Z but found '"
              + raw.orElse("")
              + "'",
          null);
    }
  }

  /**
   * The request body as a JSON object (at most 1 MiB), or an empty object when there is none.
   *
   * @throws ApiException 400 with the body's line and column when it is not a JSON object
   */
  ObjectNode body() throws IOException {
    byte[] bytes;
    try (InputStream in = request.getInputStream()) {
      bytes = in.readNBytes(MAX_BODY + 1);
    }
    if (bytes.length > MAX_BODY) {
      throw ApiException.of(413, "api.too-large", "the request body is larger than 1 MiB", null);
    }
    if (bytes.length == 0) {
      return JSON.createObjectNode();
    }
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      int line = at == null ? 0 : Math.max(0, at.getLineNr());
      int column = line == 0 || at == null ? 0 : Math.max(1, at.getColumnNr());
      throw new ApiException(
          400,
          Diagnostic.of(
              Severity.ERROR,
              "api.bad-json",
              "expected a JSON object but found malformed JSON: " + e.getOriginalMessage(),
              new Location("request body", line, column),
              null),
          null);
    }
    if (node == null || node.isMissingNode()) {
      return JSON.createObjectNode();
    }
    if (!node.isObject()) {
      throw ApiException.badRequest(
          "expected a JSON object as the request body but found " + node.getNodeType(), null);
    }
    return (ObjectNode) node;
  }

  /** Answers with {@code status} and {@code body} as JSON. */
  void reply(int status, JsonNode body) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json;charset=utf-8");
    JSON.writeValue(response.getOutputStream(), body);
  }

  /** Answers 200 with {@code body} as JSON. */
  void ok(JsonNode body) throws IOException {
    reply(200, body);
  }

  HttpServletResponse response() {
    return response;
  }

  /** Refuses with 501 a servlet registered without async support, which live streams need. */
  void requireAsync() {
    if (!request.isAsyncSupported()) {
      throw ApiException.of(
          501,
          "api.no-async",
          "live streams need the servlet registered with async support",
          "register the control plane's servlet with asyncSupported=true");
    }
  }

  /**
   * Answers with a Server-Sent Events stream that stays open (no timeout): the async context a live
   * feed writes its events to.
   */
  jakarta.servlet.AsyncContext eventStream() {
    requireAsync();
    response.setStatus(200);
    response.setContentType("text/event-stream;charset=utf-8");
    response.setHeader("X-Accel-Buffering", "no");
    jakarta.servlet.AsyncContext context = request.startAsync();
    context.setTimeout(0);
    return context;
  }
}
