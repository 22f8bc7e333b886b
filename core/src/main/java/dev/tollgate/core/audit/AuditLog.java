package dev.tollgate.core.audit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import org.apiguardian.api.API;

/**
 * The audit log of what callers did through a front end: append-only, read newest first one page at
 * a time. {@code PostgresAuditLog.open} gives the PostgreSQL one.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public interface AuditLog {

  /**
   * Records {@code entry} (its id and time are assigned here).
   *
   * @throws dev.tollgate.core.TollgateException of kind {@code COULD_NOT_FINISH} when the database
   *     cannot be reached
   */
  void record(AuditRecord entry);

  /**
   * The newest entries with an id below {@code beforeId} (0: the newest of all), at most {@code
   * limit}, newest first; those of {@code actor} only when it is not null.
   */
  List<AuditRecord> page(long beforeId, int limit, String actor);
}
