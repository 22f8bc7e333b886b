package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.step.Secrets;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The database behind the deploy services: the deploy store, and the run queue whose runs keep
 * release logs. A service asks for them only once an order has passed every check that needs no
 * database (the spec, the commit), so a front end may open its connection on first use.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public interface DeployBackend {

  /** The store of locks, releases, change requests and promotions. */
  DeployStore store();

  /** The run queue whose runs' events are the releases' logs. */
  RunQueue queue();

  /**
   * Secrets of the connection (its password, say) that deploys must mask in everything they say and
   * record; none by default.
   */
  default Secrets secrets() {
    return Secrets.none();
  }

  /** A backend of an open store and queue. */
  static DeployBackend of(DeployStore store, RunQueue queue) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(queue, "queue");
    return new DeployBackend() {
      @Override
      public DeployStore store() {
        return store;
      }

      @Override
      public RunQueue queue() {
        return queue;
      }
    };
  }
}
