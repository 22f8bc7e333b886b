package dev.tollgate.core.db;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.db.internal.PostgresUrlCheck;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.apiguardian.api.API;
import org.postgresql.util.PSQLState;

/**
 * A connection pool to Tollgate's PostgreSQL schema, with the embedded server behind it when no URL
 * was given.
 *
 * <p>Open one per process and share it; closing it closes the pool and stops an embedded server
 * this process started.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class Database implements AutoCloseable {

  private final HikariDataSource pool;
  private final DatabaseSettings settings;
  private final String schema;
  private final EmbeddedPostgres embedded;

  private Database(
      HikariDataSource pool, DatabaseSettings settings, String schema, EmbeddedPostgres embedded) {
    this.pool = pool;
    this.settings = settings;
    this.schema = schema;
    this.embedded = embedded;
  }

  /**
   * Connects to the server at {@code settings}.
   *
   * @param poolSize the largest number of pooled connections (at least 1)
   * @throws TollgateException of kind BAD_INPUT when the URL names a part the driver refuses (a
   *     port, a property value, a factory class), of kind COULD_NOT_FINISH when the server cannot
   *     be reached
   */
  public static Database connect(DatabaseSettings settings, String schema, int poolSize) {
    return open(settings, schema, poolSize, null);
  }

  /**
   * Starts (or attaches to) the embedded server whose data lives in {@code dataDirectory} and
   * connects to it.
   */
  public static Database embedded(Path dataDirectory, String schema, int poolSize) {
    EmbeddedPostgres server = EmbeddedPostgres.builder(dataDirectory).start();
    try {
      return open(server.settings(), schema, poolSize, server);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private static Database open(
      DatabaseSettings settings, String schema, int poolSize, EmbeddedPostgres embedded) {
    Objects.requireNonNull(settings, "settings");
    String checked = SchemaName.check(schema);
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
    }
    PostgresUrlCheck.problem(settings.jdbcUrl())
        .ifPresent(
            p -> {
              throw TollgateException.badInput("database URL: " + p);
            });
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.jdbcUrl());
    if (settings.user() != null) {
      config.setUsername(settings.user());
    }
    if (settings.password() != null) {
      config.setPassword(settings.password());
    }
    config.setMaximumPoolSize(poolSize);
    // One connection kept open, the rest opened when needed: a second idle connection would be
    // opened by the pool's housekeeper a moment after start, which a one-shot command (a deploy,
    // a gate) pays for on the server and in the JVM without ever using it.
    config.setMinimumIdle(1);
    config.setPoolName("tollgate-" + checked);
    config.setConnectionTimeout(10_000);
    // One try: callers that should wait for a database (a worker at start-up) retry with backoff
    // and say so, instead of blocking silently here.
    config.setInitializationFailTimeout(1);
    config.addDataSourceProperty("ApplicationName", "tollgate");
    config.addDataSourceProperty("tcpKeepAlive", "true");
    try {
      return new Database(new HikariDataSource(config), settings, checked, embedded);
    } catch (HikariPool.PoolInitializationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof SQLException sql
          && PSQLState.INVALID_PARAMETER_VALUE.getState().equals(sql.getSQLState())) {
        // The driver refused a property of the URL before reaching any server.
        throw new TollgateException(
            TollgateException.Kind.BAD_INPUT, "database URL: " + cause.getMessage(), e);
      }
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "could not connect to "
              + DatabaseSettings.redact(settings.jdbcUrl())
              + ": "
              + cause.getMessage(),
          e);
    }
  }

  /** Returns the pooled data source. */
  public DataSource dataSource() {
    return pool;
  }

  /** Returns the connection settings (their {@code toString} hides the password). */
  public DatabaseSettings settings() {
    return settings;
  }

  /** Returns the schema Tollgate's tables and functions live in. */
  public String schema() {
    return schema;
  }

  /** Returns whether the server is the embedded one. */
  public boolean isEmbedded() {
    return embedded != null;
  }

  @Override
  public void close() {
    pool.close();
    if (embedded != null) {
      embedded.close();
    }
  }
}
