package dev.tollgate.controlplane;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import org.apiguardian.api.API;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A {@link ControlPlane} served by embedded Jetty 12 on one address, as {@code tollgate serve} runs
 * it. Needs {@code org.eclipse.jetty.ee10:jetty-ee10-servlet} on the class path (an optional
 * dependency of this module); a host with its own servlet container mounts {@link
 * ControlPlane#servlet()} instead.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class ControlPlaneServer implements AutoCloseable {
  private final Server server;
  private final URI uri;
  private final jakarta.servlet.http.HttpServlet servlet;

  private ControlPlaneServer(Server server, URI uri, jakarta.servlet.http.HttpServlet servlet) {
    this.server = server;
    this.uri = uri;
    this.servlet = servlet;
  }

  /**
   * Starts serving {@code plane} at {@code host:port} (port 0 picks a free one) under {@code
   * prefix} ({@code ""} for the root, else e.g. {@code "/ops"}).
   *
   * @throws IllegalArgumentException for a malformed prefix
   * @throws IllegalStateException when the address cannot be bound (in use, not local)
   */
  public static ControlPlaneServer start(ControlPlane plane, String host, int port, String prefix) {
    Objects.requireNonNull(plane, "plane");
    Objects.requireNonNull(host, "host");
    if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
      throw new IllegalArgumentException(
          "prefix must be empty or start with '/' and not end with it, got '" + prefix + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath(prefix.isEmpty() ? "/" : prefix);
    jakarta.servlet.http.HttpServlet servlet = plane.servlet();
    ServletHolder holder = new ServletHolder("tollgate", servlet);
    holder.setAsyncSupported(true); // live logs stream as Server-Sent Events
    context.addServlet(holder, "/*");
    server.setHandler(context);
    server.setStopTimeout(2000);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IllegalStateException(
          "cannot serve the control plane on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    int bound = connector.getLocalPort();
    String h = host.contains(":") ? "[" + host + "]" : host;
    URI uri = URI.create("http://" + h + ":" + bound + prefix + "/");
    return new ControlPlaneServer(server, uri, servlet);
  }

  /** Where it serves, e.g. {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    return uri;
  }

  /** The address and port it is bound to. */
  public InetSocketAddress address() {
    return new InetSocketAddress(uri.getHost().replace("[", "").replace("]", ""), uri.getPort());
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  /** Stops serving: live streams end first, other in-flight requests get up to two seconds. */
  @Override
  public void close() {
    servlet.destroy();
    try {
      server.stop();
    } catch (java.util.concurrent.TimeoutException e) {
      // The two seconds of grace ran out: Jetty has still stopped, cutting what was in flight.
    } catch (Exception e) {
      throw new IllegalStateException("stopping the control plane failed: " + e.getMessage(), e);
    }
  }
}
