package dev.tollgate.core.postgres;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.audit.AuditLog;
import dev.tollgate.core.db.internal.jdbc.JdbcAuditLog;
import javax.sql.DataSource;
import org.apiguardian.api.API;

/** The factory of the PostgreSQL {@link AuditLog} in the Tollgate schema. */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class PostgresAuditLog {

  private PostgresAuditLog() {}

  /**
   * Returns the audit log in {@code schema} of the database behind {@code dataSource} (which must
   * be migrated; see {@link Migrations#apply}).
   */
  public static AuditLog open(DataSource dataSource, String schema) {
    return new JdbcAuditLog(dataSource, schema);
  }
}
