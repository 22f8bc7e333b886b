package dev.tollgate.controlplane;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.deploy.service.DeployBackend;
import dev.tollgate.core.deploy.service.DeployProject;
import dev.tollgate.core.deploy.service.DeployServices;
import dev.tollgate.core.postgres.PostgresDeployStore;
import dev.tollgate.core.postgres.PostgresRunQueue;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** The deploy services of a test project over a test database, as the deploy tests set them up. */
final class DeployFixture {
  private DeployFixture() {}

  /** The deploy store and run queue in {@code db}'s schema. */
  static DeployBackend backend(Database db) {
    return DeployBackend.of(
        PostgresDeployStore.open(db.dataSource(), db.schema()),
        PostgresRunQueue.open(db.dataSource(), db.schema()));
  }

  /** Every deploy service of the checkout at {@code root}; steps see only this JVM's PATH. */
  static DeployServices services(Path root, DeployBackend backend) {
    return DeployServices.of(
        DeployProject.at(root), backend, Clock.systemUTC(), Map.of("PATH", System.getenv("PATH")));
  }
}
