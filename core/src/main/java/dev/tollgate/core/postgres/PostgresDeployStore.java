package dev.tollgate.core.postgres;

import dev.tollgate.core.db.internal.jdbc.JdbcDeployStore;
import dev.tollgate.core.deploy.store.DeployStore;
import javax.sql.DataSource;

/**
 * The factory of the PostgreSQL {@link DeployStore}: deploy locks, releases, change requests,
 * promotions and the audit trail in the Tollgate schema.
 */
public final class PostgresDeployStore {

  private PostgresDeployStore() {}

  /**
   * Returns the store in {@code schema} of the database behind {@code dataSource} (which must be
   * migrated; see {@link Migrations#apply}).
   */
  public static DeployStore open(DataSource dataSource, String schema) {
    return new JdbcDeployStore(dataSource, schema);
  }
}
