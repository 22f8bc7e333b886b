package dev.tollgate.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.ConflictException;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The control plane's HTTP front: finds the route, authenticates the caller, checks the scope, the
 * read-only mode and the cross-site rules of a state-changing call, then lets the route answer.
 * Every refusal is a JSON {@link Diagnostic} with its status.
 */
final class ApiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient ControlPlane plane;
  private final transient List<Route> routes = new ArrayList<>();
  private final transient Console console;
  private transient LiveLog live;

  /** A servlet over {@code plane}. */
  public ApiServlet(ControlPlane plane) {
    this.plane = plane;
    this.console = new Console(plane);
    routes.add(new Route("GET", "/api/health", null, this::health));
    routes.add(new Route("GET", "/api/openapi.json", null, ApiServlet::openApi));
    routes.add(new Route("GET", "/api/session", Scope.READ, x -> Csrf.session(plane, x)));
    routes.add(new Route("GET", "/api/audit", Scope.READ, this::auditLog));
    routes.add(new Route("GET", "/api/live", Scope.READ, this::liveSummary));
    routes.add(new Route("GET", "/api/spec-kit", Scope.READ, x -> console.specKit().api(x)));
    ItemsApi items = new ItemsApi(plane);
    routes.add(new Route("GET", "/api/control-plane/board", Scope.READ, items::board));
    routes.add(new Route("GET", "/api/control-plane/items", Scope.READ, items::list));
    routes.add(new Route("POST", "/api/control-plane/items", Scope.ACT, items::create));
    routes.add(new Route("GET", "/api/control-plane/epics", Scope.READ, items::epics));
    routes.add(new Route("GET", "/api/control-plane/items/{id}", Scope.READ, items::detail));
    routes.add(new Route("PATCH", "/api/control-plane/items/{id}", Scope.ACT, items::update));
    routes.add(
        new Route("GET", "/api/control-plane/items/{id}/actions", Scope.READ, items::actions));
    routes.add(
        new Route(
            "POST", "/api/control-plane/items/{id}/actions/{action}", Scope.ACT, items::perform));
    RunsApi runs = new RunsApi(plane);
    routes.add(new Route("GET", "/api/runs", Scope.READ, runs::list));
    routes.add(new Route("GET", "/api/runs/lanes", Scope.READ, runs::lanes));
    routes.add(new Route("GET", "/api/runs/{id}", Scope.READ, runs::detail));
    routes.add(new Route("GET", "/api/runs/{id}/events", Scope.READ, runs::events));
    routes.add(new Route("GET", "/api/runs/{id}/artifact", Scope.READ, runs::artifact));
    routes.add(new Route("GET", "/api/runs/{id}/manifest", Scope.READ, runs::manifest));
    routes.add(new Route("GET", "/api/runs/{id}/stream", Scope.READ, x -> runs.stream(x, live())));
    routes.add(new Route("POST", "/api/runs/{id}/cancel", Scope.ACT, runs::cancel));
    routes.add(new Route("POST", "/api/runs/{id}/retry", Scope.ACT, runs::retry));
    TemplatesApi templates = new TemplatesApi(plane);
    routes.add(new Route("POST", "/api/runs", Scope.ACT, templates::enqueue));
    routes.add(new Route("GET", "/api/templates", Scope.READ, templates::list));
    routes.add(new Route("GET", "/api/templates/{name}", Scope.READ, templates::detail));
    routes.add(new Route("POST", "/api/templates/{name}/preview", Scope.ACT, templates::preview));
    TemplateEditor editor = new TemplateEditor(plane, templates);
    routes.add(Route.query("/api/templates/check", Scope.READ, editor::checkApi));
    routes.add(new Route("PUT", "/api/templates/{name}", Scope.DEPLOY, editor::saveApi));
    DeploysApi deploys = new DeploysApi(plane);
    String d = "/api/deploys";
    routes.add(new Route("GET", d + "/environments", Scope.READ, deploys::environments));
    routes.add(new Route("GET", d + "/environments/{env}", Scope.READ, deploys::environment));
    routes.add(new Route("POST", d + "/environments/{env}/hold", Scope.DEPLOY, deploys::hold));
    routes.add(new Route("POST", d + "/environments/{env}/unlock", Scope.DEPLOY, deploys::unlock));
    routes.add(new Route("GET", d + "/promotions", Scope.READ, deploys::promotions));
    routes.add(new Route("POST", d + "/promotions", Scope.ACT, deploys::createPromotion));
    routes.add(new Route("GET", d + "/promotions/{id}", Scope.READ, deploys::promotion));
    routes.add(
        new Route("POST", d + "/promotions/{id}/approve", Scope.ACT, deploys::approvePromotion));
    routes.add(
        new Route("POST", d + "/promotions/{id}/deploy", Scope.DEPLOY, deploys::deployPromotion));
    routes.add(new Route("GET", d + "/changes", Scope.READ, deploys::changes));
    routes.add(new Route("POST", d + "/changes", Scope.ACT, deploys::createChange));
    routes.add(new Route("GET", d + "/changes/{id}", Scope.READ, deploys::change));
    routes.add(new Route("POST", d + "/changes/{id}/approve", Scope.ACT, deploys::approveChange));
    routes.add(new Route("POST", d + "/changes/{id}/reject", Scope.ACT, deploys::rejectChange));
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    securityHeaders(resp);
    String path = relativePath(req);
    String method = req.getMethod();
    if (!path.equals("/api") && !path.startsWith("/api/")) {
      console.handle(req, resp, path);
      return;
    }
    Route route = null;
    Identity identity = null;
    String refusal = null;
    try {
      route = route(method, path);
      Map<String, String> params = route.match(path).orElseThrow();
      identity = identify(req, resp, route);
      checkScope(identity, route);
      if (route.mutating()) {
        if (plane.readOnly()) {
          throw ApiException.of(
              403,
              "api.read-only",
              "this control plane is read-only: " + method + " " + route.template() + " is refused",
              "ask an operator to serve it without read-only mode");
        }
        if (!plane.authenticator().explicit(req)) {
          Csrf.check(req);
        }
      }
      route.handler().handle(new Exchange(req, resp, identity, params));
    } catch (ApiException e) {
      refusal = refuse(resp, e);
    } catch (ConflictException e) {
      refusal =
          refuse(
              resp,
              ApiException.of(409, "api.conflict", e.getMessage(), "read it again and retry"));
    } catch (TollgateException e) {
      refusal = refuse(resp, fromTollgate(e));
    } catch (IllegalArgumentException e) {
      // e.g. a malformed percent escape in the path
      refusal = refuse(resp, ApiException.badRequest(e.getMessage(), null));
    } finally {
      if (route != null && route.mutating() && identity != null) {
        plane.audit(
            identity.name(),
            route.method() + " " + route.template(),
            path,
            resp.getStatus(),
            refusal);
      }
    }
  }

  /** The server's one live-log watcher, started with the first viewer. */
  private synchronized LiveLog live() {
    if (live == null) {
      live =
          new LiveLog(
              plane.runs().orElseThrow(() -> ApiException.notFound("no run queue")),
              () -> Summary.of(plane).toString());
    }
    return live;
  }

  @Override
  public synchronized void destroy() {
    plane.deployments().close();
    if (live != null) {
      live.close();
      live = null;
    }
    super.destroy();
  }

  private Route route(String method, String path) {
    TreeSet<String> allowed = new TreeSet<>();
    for (Route r : routes) {
      if (r.match(path).isPresent()) {
        if (r.method().equals(method) || (method.equals("HEAD") && r.method().equals("GET"))) {
          return r;
        }
        allowed.add(r.method());
      }
    }
    if (!allowed.isEmpty()) {
      throw ApiException.of(
          405,
          "api.method-not-allowed",
          method + " is not allowed on " + path + "; allowed: " + String.join(", ", allowed),
          null);
    }
    throw ApiException.notFound("no API endpoint at " + path);
  }

  /** The caller, or null for a route that needs no identity; 401 when there is none. */
  private Identity identify(HttpServletRequest req, HttpServletResponse resp, Route route) {
    if (route.scope() == null) {
      return null;
    }
    Optional<Identity> identity = plane.authenticator().authenticate(req);
    if (identity.isEmpty()) {
      resp.setHeader("WWW-Authenticate", "Bearer realm=\"tollgate\"");
      throw ApiException.of(
          401,
          "api.unauthenticated",
          "this request carries no identity the control plane accepts",
          "send Authorization: Bearer <token>, or sign in through the host that serves it");
    }
    return identity.get();
  }

  /** Refuses with 403 a caller who lacks the scope the route needs. */
  private static void checkScope(Identity identity, Route route) {
    if (identity != null && !identity.has(route.scope())) {
      throw ApiException.of(
          403,
          "api.forbidden",
          identity.name()
              + " lacks the scope '"
              + route.scope().wireName()
              + "' that "
              + route.method()
              + " "
              + route.template()
              + " needs",
          "ask for a token or role with the '" + route.scope().wireName() + "' scope");
    }
  }

  private void health(Exchange x) throws IOException {
    ObjectNode body = Exchange.JSON.createObjectNode();
    body.put("status", "ok");
    String database = "none";
    int status = 200;
    if (plane.runs().isPresent()) {
      try {
        plane.runs().get().find(Long.MAX_VALUE);
        database = "up";
      } catch (RuntimeException e) {
        database = "down";
        body.put("status", "degraded");
        status = 503;
      }
    }
    body.put("database", database);
    body.put("time", plane.clock().instant().toString());
    x.reply(status, body);
  }

  /**
   * {@code GET /api/audit?actor=&before=&limit=}: the audit log newest first; {@code next} is the
   * {@code before} of the following page, {@code null} on the last.
   */
  private void auditLog(Exchange x) throws IOException {
    dev.tollgate.core.audit.AuditLog log =
        plane
            .audit()
            .orElseThrow(
                () -> ApiException.notFound("this control plane keeps no audit log (none given)"));
    int limit = x.intQuery("limit", 50, RunsApi.MAX_PAGE);
    long before = x.query("before").isPresent() ? x.intQuery("before", 1, Integer.MAX_VALUE) : 0;
    java.util.List<dev.tollgate.core.audit.AuditRecord> page =
        log.page(before, limit + 1, x.query("actor").orElse(null));
    boolean more = page.size() > limit;
    ObjectNode body = Exchange.JSON.createObjectNode();
    com.fasterxml.jackson.databind.node.ArrayNode entries = body.putArray("entries");
    for (dev.tollgate.core.audit.AuditRecord e : more ? page.subList(0, limit) : page) {
      entries
          .addObject()
          .put("id", e.id())
          .put("at", e.at().toString())
          .put("actor", e.actor())
          .put("action", e.action())
          .put("target", e.target())
          .put("status", e.status())
          .put("result", e.result())
          .put("message", e.message());
    }
    if (more) {
      body.put("next", page.get(limit - 1).id());
    } else {
      body.putNull("next");
    }
    body.put("failures", plane.auditFailures());
    x.ok(body);
  }

  /**
   * {@code GET /api/live}: Server-Sent Events, {@code event: summary} with the header's figures
   * (queued, running, stale, held environments, a fingerprint of the board) now and whenever they
   * change, read once a second for every viewer together.
   */
  private void liveSummary(Exchange x) throws IOException {
    x.requireAsync();
    LiveLog log = live();
    jakarta.servlet.AsyncContext context = x.eventStream();
    log.subscribeSummary(context);
  }

  private static void openApi(Exchange x) throws IOException {
    try (java.io.InputStream in =
        ApiServlet.class.getResourceAsStream("/dev/tollgate/controlplane/openapi.json")) {
      if (in == null) {
        throw ApiException.notFound("this build carries no OpenAPI document");
      }
      x.ok(Exchange.JSON.readTree(in));
    }
  }

  /** Each route as {@code METHOD /template}, in the order they are matched. */
  List<String> routes() {
    return routes.stream().map(r -> r.method() + " " + r.template()).toList();
  }

  private static ApiException fromTollgate(TollgateException e) {
    if (e.kind() == TollgateException.Kind.BAD_INPUT) {
      Diagnostic d =
          e.diagnostics().isEmpty()
              ? Diagnostic.of(
                  Severity.ERROR, "api.bad-request", e.getMessage(), new Location("", 0, 0), null)
              : e.diagnostics().get(0);
      return new ApiException(400, d, null);
    }
    return ApiException.of(
        503,
        "api.unavailable",
        e.getMessage(),
        "nothing was changed by this request; try again when the cause is fixed");
  }

  /** Answers with {@code e}'s status and Diagnostic; returns its message (for the audit log). */
  private static String refuse(HttpServletResponse resp, ApiException e) throws IOException {
    if (resp.isCommitted()) {
      return e.diagnostic().message();
    }
    resp.resetBuffer();
    ObjectNode body = Problems.body(e.diagnostic());
    e.extra().ifPresent(body::setAll);
    resp.setStatus(e.status());
    resp.setContentType("application/json;charset=utf-8");
    Exchange.JSON.writeValue(resp.getOutputStream(), body);
    return e.diagnostic().message();
  }

  /** The path below the servlet's mount point, still percent-encoded. */
  static String relativePath(HttpServletRequest req) {
    String uri = req.getRequestURI();
    String mount = req.getContextPath() + req.getServletPath();
    String rest = uri.startsWith(mount) ? uri.substring(mount.length()) : uri;
    return rest.isEmpty() ? "/" : rest;
  }

  private static void securityHeaders(HttpServletResponse resp) {
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setHeader("Cache-Control", "no-store");
    resp.setHeader("Referrer-Policy", "no-referrer");
    resp.setHeader("X-Frame-Options", "DENY");
    resp.setHeader(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  }
}
