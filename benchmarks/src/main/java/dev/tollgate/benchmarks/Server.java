package dev.tollgate.benchmarks;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.DatabaseSettings;
import dev.tollgate.core.db.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The PostgreSQL server every system is measured against: the embedded one (durable: fsync and
 * synchronous commit on) in a fresh folder, or the server named by a URL.
 */
final class Server implements AutoCloseable {

  private DatabaseSettings settings;
  private EmbeddedPostgres embedded;
  private final boolean durable;
  private final Path folder;
  private final boolean keep;

  private Server(
      DatabaseSettings settings,
      EmbeddedPostgres embedded,
      Path folder,
      boolean keep,
      boolean durable) {
    this.settings = settings;
    this.durable = durable;
    this.embedded = embedded;
    this.folder = folder;
    this.keep = keep;
  }

  static Server open(String url, boolean durable, boolean keepData) {
    if (url != null && !url.isBlank()) {
      return new Server(DatabaseSettings.parse(url), null, null, true, true);
    }
    try {
      Path folder = Files.createTempDirectory("tollgate-bench-pg");
      // Searchable by others, so a root JVM can hand the data folder to 'nobody'.
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
      EmbeddedPostgres server =
          EmbeddedPostgres.builder(folder.resolve("data")).durable(durable).start();
      return new Server(server.settings(), server, folder, keepData, durable);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  DatabaseSettings settings() {
    return settings;
  }

  boolean embedded() {
    return embedded != null;
  }

  /** A JDBC URL that carries the credentials, for a child process (passed in its environment). */
  String urlForChild() {
    StringBuilder url = new StringBuilder(settings.jdbcUrl());
    char sep = url.indexOf("?") >= 0 ? '&' : '?';
    if (settings.user() != null) {
      url.append(sep).append("user=").append(encode(settings.user()));
      sep = '&';
    }
    if (settings.password() != null) {
      url.append(sep).append("password=").append(encode(settings.password()));
    }
    return url.toString();
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Opens a pool of {@code size} connections on {@code schema}, filled before it is returned. */
  Database pool(String schema, int size) {
    Database db = Database.connect(settings, schema, size);
    Connection[] held = new Connection[size];
    try {
      for (int i = 0; i < size; i++) {
        held[i] = db.dataSource().getConnection();
      }
    } catch (SQLException e) {
      db.close();
      throw new IllegalStateException("could not fill the pool: " + e.getMessage(), e);
    } finally {
      for (Connection c : held) {
        if (c != null) {
          try {
            c.close();
          } catch (SQLException e) {
            // Returned to the pool; nothing to do.
          }
        }
      }
    }
    return db;
  }

  /**
   * Turns on {@code pg_stat_statements} (every statement, nested ones too) and {@code
   * track_functions} on the embedded server, which restarts it: the library must be preloaded.
   */
  void enableStatementStatistics() {
    if (embedded == null) {
      throw new IllegalStateException("statement statistics need the embedded server");
    }
    execute(
        "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'",
        "ALTER SYSTEM SET pg_stat_statements.track = 'all'",
        "ALTER SYSTEM SET track_functions = 'all'");
    embedded.close();
    embedded = EmbeddedPostgres.builder(folder.resolve("data")).durable(durable).start();
    settings = embedded.settings();
    execute(
        "CREATE EXTENSION IF NOT EXISTS pg_stat_statements",
        "CREATE EXTENSION IF NOT EXISTS pg_walinspect");
  }

  /**
   * The WAL written between two positions (bytes since 0/0, as {@link Counters#walBytes}), by
   * record type, the largest first, in bytes per run over {@code runs} runs: the record itself and
   * the full-page images it carried ({@code pg_walinspect}, set up by {@link
   * #enableStatementStatistics}).
   */
  String walRecords(long from, long to, long runs) {
    return queryString(
        "SELECT string_agg(format('%s: %s per run, %s B/run + %s B/run of page images',"
            + " \"resource_manager/record_type\", to_char(count / "
            + runs
            + "::numeric, 'FM990.00'), round(record_size / "
            + runs
            + "::numeric), round(fpi_size / "
            + runs
            + "::numeric)), E'\\n' ORDER BY combined_size DESC) FROM"
            + " pg_get_wal_stats('0/0'::pg_lsn + "
            + from
            + ", '0/0'::pg_lsn + "
            + to
            + ", true) WHERE combined_size >= "
            + runs);
  }

  /** Forgets the statement statistics gathered so far (the function statistics add up). */
  void resetStatementStatistics() {
    execute("SELECT pg_stat_statements_reset()");
  }

  /**
   * The {@code limit} statements that took the most server time since the last reset, one line
   * each, with their time and calls per run over {@code runs} runs; nested statements (inside a
   * function) are marked.
   */
  String topStatements(int limit, long runs) {
    return queryString(
        "SELECT string_agg(line, E'\\n' ORDER BY t DESC) FROM (SELECT total_exec_time AS t,"
            + " format('%s ms/run %s calls/run %s rows/call %s: %s',"
            + " to_char(total_exec_time / "
            + runs
            + ", 'FM0.0000'), to_char(calls::numeric / "
            + runs
            + ", 'FM0.000'), round(rows::numeric / greatest(calls, 1), 1),"
            + " CASE WHEN toplevel THEN 'top' ELSE 'nested' END,"
            + " left(regexp_replace(query, '\\s+', ' ', 'g'), 160)) AS line"
            + " FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat%'"
            + " ORDER BY total_exec_time DESC LIMIT "
            + limit
            + ") s");
  }

  /** A connection outside every pool, for set-up, statistics and sampling. */
  Connection admin() throws SQLException {
    Properties props = new Properties();
    if (settings.user() != null) {
      props.setProperty("user", settings.user());
    }
    if (settings.password() != null) {
      props.setProperty("password", settings.password());
    }
    props.setProperty("ApplicationName", "tollgate-bench-admin");
    return DriverManager.getConnection(settings.jdbcUrl(), props);
  }

  void execute(String... statements) {
    try (Connection c = admin();
        Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  long queryLong(String sql) {
    try (Connection c = admin();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  String queryString(String sql) {
    try (Connection c = admin();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** Cleans up dead rows and flushes dirty pages, so every measurement starts alike. */
  void vacuumAndCheckpoint() {
    execute("VACUUM ANALYZE", "CHECKPOINT");
  }

  /**
   * Waits until the pools' sessions have ended, so that their statistics are flushed and the server
   * has reaped their processes (whose CPU time then counts in the postmaster's).
   */
  void awaitPoolsClosed() throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline
        && queryLong(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tollgate'"
                    + " AND datname = current_database()")
            > 0) {
      Thread.sleep(10);
    }
    Thread.sleep(100);
  }

  /**
   * The server-wide counters a measurement reports deltas of: commits, WAL bytes, and the WAL
   * flushes to disk ({@code pg_stat_wal.wal_sync}, by backends and the WAL writer alike).
   */
  record Counters(long commits, long walBytes, long walSyncs) {}

  Counters counters() {
    try (Connection c = admin();
        Statement st = c.createStatement()) {
      st.execute("SELECT pg_stat_clear_snapshot()");
      long commits;
      try (ResultSet rs =
          st.executeQuery(
              "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
        rs.next();
        commits = rs.getLong(1);
      }
      long wal;
      try (ResultSet rs =
          st.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
        rs.next();
        wal = rs.getLong(1);
      }
      long syncs;
      try (ResultSet rs = st.executeQuery("SELECT wal_sync FROM pg_stat_wal")) {
        rs.next();
        syncs = rs.getLong(1);
      }
      return new Counters(commits, wal, syncs);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  Cpu cpu() {
    if (embedded == null) {
      return new Cpu(null);
    }
    try {
      List<String> lines =
          Files.readAllLines(
              embedded.dataDirectory().resolve("postmaster.pid"), StandardCharsets.UTF_8);
      return new Cpu(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | RuntimeException e) {
      return new Cpu(null);
    }
  }

  /** A description of the server for the report. */
  String describe() {
    String version = queryString("SELECT version()");
    String settingsLine =
        queryString(
            "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)"
                + " FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit',"
                + " 'full_page_writes', 'shared_buffers', 'max_connections', 'wal_level',"
                + " 'max_wal_size', 'autovacuum')");
    return (embedded != null ? "embedded, " : "external, ") + version + "; " + settingsLine;
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
      if (!keep && folder != null) {
        try (Stream<Path> files = Files.walk(folder)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
          // Best effort: the folder is under the temporary directory.
        }
      }
    }
  }
}
