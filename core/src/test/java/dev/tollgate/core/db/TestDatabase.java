package dev.tollgate.core.db;

import dev.tollgate.core.postgres.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The PostgreSQL server tests share: one embedded server per JVM (non-durable, for speed), or the
 * server named by {@code TOLLGATE_TEST_DATABASE_URL}. Each {@link #freshSchema} call returns a new,
 * migrated schema so test classes never see each other's rows.
 */
public final class TestDatabase {

  /** Environment variable naming another server to test against. */
  public static final String URL_ENV = "TOLLGATE_TEST_DATABASE_URL";

  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static DatabaseSettings settings;
  private static EmbeddedPostgres server;

  private TestDatabase() {}

  /** Returns the server's settings, starting the embedded server on first use. */
  public static synchronized DatabaseSettings settings() {
    if (settings == null) {
      String url = System.getenv(URL_ENV);
      if (url != null && !url.isBlank()) {
        settings = DatabaseSettings.parse(url);
      } else {
        try {
          Path parent = Files.createTempDirectory("tollgate-test-pg");
          // Searchable by others, so a root JVM can hand the data folder to 'nobody'.
          Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
          server = EmbeddedPostgres.builder(parent.resolve("data")).durable(false).start();
          settings = server.settings();
          EmbeddedPostgres started = server;
          // The data folder goes with the server: every test JVM makes one (a gigabyte after
          // QueuePlanTest), and left behind they filled the disk of a shared build machine.
          Runtime.getRuntime()
              .addShutdownHook(
                  new Thread(
                      () -> {
                        started.close();
                        dev.tollgate.core.util.FileTrees.deleteQuietly(parent);
                      },
                      "test-postgres-stop"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return settings;
  }

  /** Returns a schema name no other test (or earlier test run) uses. */
  public static String uniqueSchema(String prefix) {
    return (prefix + "_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet())
        .toLowerCase(java.util.Locale.ROOT);
  }

  /** Opens a pool of {@code poolSize} on a new, migrated schema. */
  public static Database freshSchema(String prefix, int poolSize) {
    String schema = uniqueSchema(prefix);
    Database db = Database.connect(settings(), schema, poolSize);
    Migrations.apply(db.dataSource(), db.schema());
    return db;
  }

  /**
   * Terminates, as a dropped connection or a database restart would, every other backend whose
   * {@code application_name} is {@code applicationName}; returns how many there were.
   */
  public static int terminate(DataSource ds, String applicationName) {
    try (Connection c = ds.getConnection();
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE pid <> pg_backend_pid() AND application_name = ?")) {
      ps.setString(1, applicationName);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("terminate " + applicationName + ": " + e.getMessage(), e);
    }
  }

  /** Runs one SQL statement (test set-up only). */
  public static void execute(DataSource ds, String sql) {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
