package dev.tollgate.core.postgres;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.db.internal.jdbc.JdbcRunQueue;
import dev.tollgate.core.runs.RunQueue;
import javax.sql.DataSource;
import org.apiguardian.api.API;

/**
 * The factory of the PostgreSQL {@link RunQueue}, which calls the SQL functions of the Tollgate
 * schema, so a worker in any language speaks the same protocol.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class PostgresRunQueue {

  private PostgresRunQueue() {}

  /**
   * Returns the queue kept in {@code schema} of the database behind {@code dataSource} (which must
   * be migrated; see {@link Migrations#apply}).
   */
  public static RunQueue open(DataSource dataSource, String schema) {
    return new JdbcRunQueue(dataSource, schema, JdbcRunQueue.DEFAULT_MAX_ARTIFACT_BYTES);
  }
}
