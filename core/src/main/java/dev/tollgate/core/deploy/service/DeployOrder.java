package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A request to deploy a ref of the project to one environment, as {@link DeployService#prepare}
 * takes it. Built with {@link #builder}, which names every field and checks it.
 *
 * @param environment the environment
 * @param ref the branch, tag or commit to ship; empty for the checkout's {@code HEAD}
 * @param actor who deploys
 * @param changeId the change request the deploy runs under, or empty
 * @param emergencyReason the reason of a declared emergency, empty for a normal deploy
 * @param dryRun whether to evaluate the gates and return the plan only
 * @param waitForLock how long to wait for a held lock (zero: refuse at once)
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record DeployOrder(
    String environment,
    Optional<String> ref,
    String actor,
    Optional<String> changeId,
    Optional<String> emergencyReason,
    boolean dryRun,
    Duration waitForLock) {

  /** Checks the fields. */
  public DeployOrder {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(changeId, "changeId");
    Objects.requireNonNull(emergencyReason, "emergencyReason");
    Objects.requireNonNull(waitForLock, "waitForLock");
  }

  /** Returns a builder of an order to deploy to {@code environment} as {@code actor}. */
  public static Builder builder(String environment, String actor) {
    return new Builder(environment, actor);
  }

  /** A builder of {@link DeployOrder}; every setter checks its input. */
  public static final class Builder {
    private final String environment;
    private final String actor;
    private Optional<String> ref = Optional.empty();
    private Optional<String> changeId = Optional.empty();
    private Optional<String> emergencyReason = Optional.empty();
    private boolean dryRun;
    private Duration waitForLock = Duration.ZERO;

    private Builder(String environment, String actor) {
      this.environment = text(environment, "environment");
      this.actor = text(actor, "actor");
    }

    /** Sets the branch, tag or commit to ship; null (the default) ships the checkout's HEAD. */
    public Builder ref(String value) {
      this.ref = Optional.ofNullable(value);
      return this;
    }

    /** Sets the change request the deploy runs under; null (the default): none. */
    public Builder changeId(String value) {
      this.changeId = Optional.ofNullable(value);
      return this;
    }

    /**
     * Declares an emergency, audited with {@code reason}: windows are bypassed unless the spec's
     * emergency policy says they apply; the lock never is.
     */
    public Builder emergency(String reason) {
      this.emergencyReason = Optional.of(text(reason, "the reason of an emergency"));
      return this;
    }

    /** Sets whether to evaluate the gates and return the plan only (default false). */
    public Builder dryRun(boolean value) {
      this.dryRun = value;
      return this;
    }

    /** Sets how long to wait for a held lock (default zero: refuse at once). */
    public Builder waitForLock(Duration value) {
      Objects.requireNonNull(value, "waitForLock");
      if (value.isNegative()) {
        throw new IllegalArgumentException("waitForLock must not be negative but was " + value);
      }
      this.waitForLock = value;
      return this;
    }

    /** Returns the order. */
    public DeployOrder build() {
      return new DeployOrder(
          environment, ref, actor, changeId, emergencyReason, dryRun, waitForLock);
    }
  }

  static String text(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }
}
