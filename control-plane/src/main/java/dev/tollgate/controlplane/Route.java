package dev.tollgate.controlplane;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One endpoint: its method, its path template ({@code /api/runs/{id}}), the scope it needs and what
 * answers it. A template segment {@code {name}} matches one non-empty path segment, which is
 * percent-decoded.
 */
final class Route {
  private static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z]+)\\}");

  /** What answers a matched call. */
  @FunctionalInterface
  interface Handler {
    void handle(Exchange exchange) throws IOException;
  }

  private final String method;
  private final String template;
  private final Scope scope;
  private final Handler handler;
  private final boolean changesState;
  private final Pattern pattern;
  private final List<String> names = new ArrayList<>();

  Route(String method, String template, Scope scope, Handler handler) {
    this(method, template, scope, handler, !method.equals("GET") && !method.equals("HEAD"));
  }

  /**
   * A {@code POST} that changes nothing (it computes an answer from its body, e.g. checking a
   * text): it is not audited, needs no cross-site token and is answered in read-only mode.
   */
  static Route query(String template, Scope scope, Handler handler) {
    return new Route("POST", template, scope, handler, false);
  }

  private Route(
      String method, String template, Scope scope, Handler handler, boolean changesState) {
    this.changesState = changesState;
    this.method = method;
    this.template = template;
    this.scope = scope;
    this.handler = handler;
    StringBuilder regex = new StringBuilder();
    Matcher m = PARAM.matcher(template);
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
      names.add(m.group(1));
      last = m.end();
    }
    regex.append(Pattern.quote(template.substring(last)));
    this.pattern = Pattern.compile(regex.toString());
  }

  String method() {
    return method;
  }

  String template() {
    return template;
  }

  Scope scope() {
    return scope;
  }

  Handler handler() {
    return handler;
  }

  /** Whether this route changes state (anything but GET, HEAD and a {@link #query}). */
  boolean mutating() {
    return changesState;
  }

  /** The path parameters when {@code path} matches this template. */
  Optional<Map<String, String>> match(String path) {
    Matcher m = pattern.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      // A path segment: '+' is a plus sign, not a space.
      String raw = m.group(i + 1).replace("+", "%2B");
      params.put(names.get(i), URLDecoder.decode(raw, StandardCharsets.UTF_8));
    }
    return Optional.of(params);
  }
}
