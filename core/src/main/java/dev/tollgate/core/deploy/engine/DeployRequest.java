package dev.tollgate.core.deploy.engine;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What an operator asks for: ship this commit to this environment. Built with {@link #builder},
 * which names every field.
 *
 * @param environment the environment
 * @param commitSha the commit to ship
 * @param version the version shown in the release (a tag, or the short commit)
 * @param ref the ref asked for, or empty
 * @param actor who deploys
 * @param changeId the change request, or empty
 * @param emergency whether this is a declared emergency (needs {@code reason}; bypasses windows,
 *     never the lock)
 * @param reason the emergency reason, or empty
 * @param dryRun evaluate the gates and print the plan, change nothing
 * @param waitForLock how long to wait for a held lock (zero: refuse at once)
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record DeployRequest(
    String environment,
    String commitSha,
    String version,
    Optional<String> ref,
    String actor,
    Optional<Long> changeId,
    boolean emergency,
    Optional<String> reason,
    boolean dryRun,
    Duration waitForLock) {

  /** Checks the fields. */
  public DeployRequest {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(commitSha, "commitSha");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(changeId, "changeId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(waitForLock, "waitForLock");
    if (waitForLock.isNegative()) {
      throw new IllegalArgumentException("waitForLock must not be negative");
    }
  }

  /** Returns a builder of the request to ship {@code commitSha}, shown as {@code version}. */
  public static Builder builder(String environment, String commitSha, String version) {
    return new Builder(environment, commitSha, version);
  }

  /** A builder of {@link DeployRequest}; every setter checks its input. */
  public static final class Builder {
    private final String environment;
    private final String commitSha;
    private final String version;
    private Optional<String> ref = Optional.empty();
    private String actor;
    private Optional<Long> changeId = Optional.empty();
    private Optional<String> emergencyReason = Optional.empty();
    private boolean dryRun;
    private Duration waitForLock = Duration.ZERO;

    private Builder(String environment, String commitSha, String version) {
      this.environment = text(environment, "environment");
      this.commitSha = text(commitSha, "commitSha");
      this.version = text(version, "version");
    }

    /** Sets the ref asked for (a branch, tag or commit as typed); empty: none. */
    public Builder ref(Optional<String> value) {
      this.ref = Objects.requireNonNull(value, "ref");
      return this;
    }

    /** Sets who deploys; required. */
    public Builder actor(String value) {
      this.actor = text(value, "actor");
      return this;
    }

    /** Sets the change request the deploy runs under; empty: none. */
    public Builder changeId(Optional<Long> value) {
      this.changeId = Objects.requireNonNull(value, "changeId");
      return this;
    }

    /**
     * Declares an emergency with its reason, which is audited: windows are bypassed unless the
     * spec's emergency policy says they apply; the lock never is.
     */
    public Builder emergency(String reason) {
      this.emergencyReason = Optional.of(text(reason, "the emergency reason"));
      return this;
    }

    /**
     * Sets whether this is a dry run (default false): the gates are evaluated and the plan
     * returned, nothing changes.
     */
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

    /**
     * Returns the request.
     *
     * @throws IllegalStateException when no actor is set
     */
    public DeployRequest build() {
      if (actor == null) {
        throw new IllegalStateException("a deploy request needs an actor");
      }
      return new DeployRequest(
          environment,
          commitSha,
          version,
          ref,
          actor,
          changeId,
          emergencyReason.isPresent(),
          emergencyReason,
          dryRun,
          waitForLock);
    }

    private static String text(String value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value;
    }
  }
}
