package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A request to roll one environment back to an earlier release, as {@link
 * DeployService#prepareRollback} takes it. Built with {@link #builder}.
 *
 * @param environment the environment
 * @param to the release to go back to; empty for the last deployed release before the latest
 * @param actor who rolls back
 * @param dryRun whether to evaluate the gates and return the plan only
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record RollbackOrder(String environment, Optional<Long> to, String actor, boolean dryRun) {

  /** Checks the fields. */
  public RollbackOrder {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(actor, "actor");
  }

  /** Returns a builder of an order to roll {@code environment} back as {@code actor}. */
  public static Builder builder(String environment, String actor) {
    return new Builder(environment, actor);
  }

  /** A builder of {@link RollbackOrder}; every setter checks its input. */
  public static final class Builder {
    private final String environment;
    private final String actor;
    private Optional<Long> to = Optional.empty();
    private boolean dryRun;

    private Builder(String environment, String actor) {
      this.environment = DeployOrder.text(environment, "environment");
      this.actor = DeployOrder.text(actor, "actor");
    }

    /**
     * Sets the release to go back to; null (the default) picks the last deployed release before the
     * latest.
     */
    public Builder to(Long releaseId) {
      this.to = Optional.ofNullable(releaseId);
      return this;
    }

    /** Sets whether to evaluate the gates and return the plan only (default false). */
    public Builder dryRun(boolean value) {
      this.dryRun = value;
      return this;
    }

    /** Returns the order. */
    public RollbackOrder build() {
      return new RollbackOrder(environment, to, actor, dryRun);
    }
  }
}
