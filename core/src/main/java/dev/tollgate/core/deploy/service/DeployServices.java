package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Every deploy service of one project over one backend, built together so that they share the
 * project, the backend and the clock: what a front end (the control plane, an embedding service)
 * needs to offer deploys, promotions, change requests, locks and the environments' status.
 *
 * @param deploys governed deploys and rollbacks
 * @param promotions promotions: create, approve, execute
 * @param changes change requests: create, approve, reject, list
 * @param locks holds, unlocks, locks and releases
 * @param environments each environment's lock, window and latest release
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record DeployServices(
    DeployService deploys,
    PromotionService promotions,
    ChangeService changes,
    LockService locks,
    EnvironmentService environments) {

  /** Checks the fields. */
  public DeployServices {
    Objects.requireNonNull(deploys, "deploys");
    Objects.requireNonNull(promotions, "promotions");
    Objects.requireNonNull(changes, "changes");
    Objects.requireNonNull(locks, "locks");
    Objects.requireNonNull(environments, "environments");
  }

  /**
   * The services of {@code project} with state in {@code backend}, judging windows by {@code
   * clock}; deploy steps start from {@code stepEnvironment} (whose variables named like secrets are
   * masked).
   */
  public static DeployServices of(
      DeployProject project,
      DeployBackend backend,
      Clock clock,
      Map<String, String> stepEnvironment) {
    DeployService deploys =
        DeployService.builder(project, backend).clock(clock).environment(stepEnvironment).build();
    return new DeployServices(
        deploys,
        new PromotionService(project, backend, deploys),
        new ChangeService(project, backend, clock),
        new LockService(backend),
        new EnvironmentService(project, backend, clock));
  }
}
