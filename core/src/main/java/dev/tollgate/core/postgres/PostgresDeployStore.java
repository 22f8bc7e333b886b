package dev.tollgate.core.postgres;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.db.internal.jdbc.JdbcDeployStore;
import dev.tollgate.core.deploy.store.DeployStore;
import javax.sql.DataSource;
import org.apiguardian.api.API;

/**
 * The factory of the PostgreSQL {@link DeployStore}: deploy locks, releases, change requests,
 * promotions and the audit trail in the Tollgate schema.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
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
