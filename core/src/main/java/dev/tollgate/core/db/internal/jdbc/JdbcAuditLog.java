package dev.tollgate.core.db.internal.jdbc;

import dev.tollgate.core.audit.AuditLog;
import dev.tollgate.core.audit.AuditRecord;
import dev.tollgate.core.db.SchemaName;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/** The PostgreSQL audit log: the {@code audit_log} table of migration V005. */
public final class JdbcAuditLog implements AuditLog {
  private static final String COLUMNS = "id, at, actor, action, target, status, result, message";

  private final DataSource dataSource;
  private final String schema;

  /** An audit log over a migrated schema. */
  public JdbcAuditLog(DataSource dataSource, String schema) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.schema = SchemaName.check(schema);
  }

  @Override
  public void record(AuditRecord e) {
    Objects.requireNonNull(e, "entry");
    Jdbc.inTransaction(
        dataSource,
        c ->
            Jdbc.list(
                c,
                "INSERT INTO "
                    + schema
                    + ".audit_log (actor, action, target, status, result, message)"
                    + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                rs -> rs.getLong(1),
                e.actor(),
                e.action(),
                e.target(),
                e.status(),
                e.result(),
                e.message()),
        "record an audit entry");
  }

  @Override
  public List<AuditRecord> page(long beforeId, int limit, String actor) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
    }
    long before = beforeId <= 0 ? Long.MAX_VALUE : beforeId;
    return Jdbc.inTransaction(
        dataSource,
        c ->
            actor == null
                ? Jdbc.list(
                    c,
                    "SELECT "
                        + COLUMNS
                        + " FROM "
                        + schema
                        + ".audit_log WHERE id < ? ORDER BY id DESC LIMIT ?",
                    JdbcAuditLog::row,
                    before,
                    limit)
                : Jdbc.list(
                    c,
                    "SELECT "
                        + COLUMNS
                        + " FROM "
                        + schema
                        + ".audit_log WHERE actor = ? AND id < ? ORDER BY id DESC LIMIT ?",
                    JdbcAuditLog::row,
                    actor,
                    before,
                    limit),
        "read the audit log");
  }

  private static AuditRecord row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new AuditRecord(
        rs.getLong(1),
        Jdbc.instant(rs, 2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getInt(6),
        rs.getString(7),
        rs.getString(8));
  }
}
