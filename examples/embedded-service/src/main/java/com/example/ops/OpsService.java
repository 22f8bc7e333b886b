package com.example.ops;

import dev.tollgate.controlplane.ControlPlane;
import dev.tollgate.controlplane.Identity;
import dev.tollgate.controlplane.Scope;
import dev.tollgate.policy.PolicyEngine;
import dev.tollgate.policy.WorkItemService;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A small service that has its own pages and its own users, and mounts Tollgate's control plane
 * under {@code /ops}. Tollgate never sees a password: the service authenticates its users (HTTP
 * Basic here, standing in for whatever a real service uses) and hands Tollgate an {@link Identity}.
 *
 * <p>Run it: {@code java -cp … com.example.ops.OpsService PROJECT_DIR [PORT]}, then open {@code
 * http://127.0.0.1:PORT/ops/} and sign in as {@code alice} / {@code alice-password}.
 */
public final class OpsService implements AutoCloseable {
  /** The service's own users: name → password and what they may do in the console. */
  private static final Map<String, User> USERS =
      Map.of(
          "alice", new User("alice-password", EnumSet.of(Scope.READ, Scope.ACT)),
          "viewer", new User("viewer-password", EnumSet.of(Scope.READ)));

  private record User(String password, EnumSet<Scope> scopes) {}

  private final Server server;

  private OpsService(Server server) {
    this.server = server;
  }

  /** Starts the service on 127.0.0.1:{@code port} (0 for any free port) over {@code project}. */
  public static OpsService start(Path project, int port) throws Exception {
    Clock clock = Clock.systemUTC();
    ControlPlane tollgate =
        ControlPlane.builder()
            .workItems(WorkItemService.of(PolicyEngine.load(project, clock), clock))
            .authenticator(OpsService::signedIn)
            .clock(clock)
            .build();

    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder("home", new Home()), "/");
    context.addServlet(new ServletHolder("tollgate", tollgate.servlet()), "/ops/*");
    server.setHandler(context);
    server.start();
    return new OpsService(server);
  }

  /** The service's own sign-in, turned into the identity Tollgate acts for. */
  private static Optional<Identity> signedIn(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.startsWith("Basic ")) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    String name = decoded.substring(0, colon);
    User user = USERS.get(name);
    if (user == null || !user.password().equals(decoded.substring(colon + 1))) {
      return Optional.empty();
    }
    return Optional.of(new Identity(name, user.scopes()));
  }

  /** The port it listens on. */
  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  /** The service's own home page. */
  private static final class Home extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      if (req.getHeader("Authorization") == null && req.getRequestURI().equals("/")) {
        resp.setContentType("text/plain;charset=utf-8");
        resp.getWriter().println("Example service. The Tollgate console is at /ops/.");
        return;
      }
      resp.sendError(404);
    }
  }

  /** {@code OpsService PROJECT_DIR [PORT]}: serves until stopped. */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: OpsService PROJECT_DIR [PORT]");
      System.exit(2);
    }
    OpsService service =
        start(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 8081);
    System.out.println(
        "Example service at http://127.0.0.1:" + service.port() + "/, console at /ops/");
    service.server.join();
  }
}
