package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.deploy.DeploySpec;
import dev.tollgate.core.deploy.DeploySpecLoader;
import java.nio.file.Path;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The project the deploy services work on: its checkout (a Git repository, where refs are resolved
 * and steps run) and the deploy spec of each environment in it. Asked for only when needed, so a
 * front end may compute either lazily or name files its own way in messages.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public interface DeployProject {

  /** The checkout's root folder. */
  Path root();

  /**
   * The deploy spec of {@code environment}.
   *
   * @throws dev.tollgate.core.TollgateException of kind {@code BAD_INPUT} for an unknown
   *     environment or a broken spec file
   */
  DeploySpec spec(String environment);

  /**
   * The project checked out at {@code root}, with its specs read from {@code .tollgate/deploy/} by
   * {@link DeploySpecLoader}.
   */
  static DeployProject at(Path root) {
    Objects.requireNonNull(root, "root");
    return new DeployProject() {
      @Override
      public Path root() {
        return root;
      }

      @Override
      public DeploySpec spec(String environment) {
        return DeploySpecLoader.load(root, environment);
      }
    };
  }
}
