package dev.tollgate.core.deploy.store;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A release about to start, written under the lock whose fencing token it carries. Built with
 * {@link #builder}, which names the optional fields.
 *
 * @param environment the environment
 * @param version the version
 * @param commitSha the commit
 * @param ref the ref asked for, or null
 * @param actor who deploys
 * @param approvers who approved
 * @param changeId the change request, or null
 * @param windowDecision the window decision, in words
 * @param overrideReason the emergency reason, or null
 * @param rollbackOf the release rolled back from, or null
 * @param runId the run holding the log, or null
 * @param fencingToken the lock's token
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record NewRelease(
    String environment,
    String version,
    String commitSha,
    String ref,
    String actor,
    List<String> approvers,
    String changeId,
    String windowDecision,
    String overrideReason,
    Long rollbackOf,
    Long runId,
    long fencingToken) {
  /** Checks the required fields. */
  public NewRelease {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(commitSha, "commitSha");
    Objects.requireNonNull(actor, "actor");
    approvers = List.copyOf(approvers == null ? List.of() : approvers);
  }

  /**
   * Returns a builder of the release of {@code commitSha} (shown as {@code version}) to {@code
   * environment} by {@code actor}, under the lock held with {@code fencingToken}.
   */
  public static Builder builder(
      String environment, String version, String commitSha, String actor, long fencingToken) {
    return new Builder(environment, version, commitSha, actor, fencingToken);
  }

  /** A builder of {@link NewRelease}; the optional fields default to none. */
  public static final class Builder {
    private final String environment;
    private final String version;
    private final String commitSha;
    private final String actor;
    private final long fencingToken;
    private String ref;
    private List<String> approvers = List.of();
    private String changeId;
    private String windowDecision;
    private String overrideReason;
    private Long rollbackOf;
    private Long runId;

    private Builder(
        String environment, String version, String commitSha, String actor, long fencingToken) {
      this.environment = Objects.requireNonNull(environment, "environment");
      this.version = Objects.requireNonNull(version, "version");
      this.commitSha = Objects.requireNonNull(commitSha, "commitSha");
      this.actor = Objects.requireNonNull(actor, "actor");
      this.fencingToken = fencingToken;
    }

    /** Sets the ref asked for; null: none. */
    public Builder ref(String value) {
      this.ref = value;
      return this;
    }

    /** Sets who approved the change. */
    public Builder approvers(List<String> value) {
      this.approvers = List.copyOf(Objects.requireNonNull(value, "approvers"));
      return this;
    }

    /** Sets the change request; null: none. */
    public Builder changeId(String value) {
      this.changeId = value;
      return this;
    }

    /** Sets the window decision, in words. */
    public Builder windowDecision(String value) {
      this.windowDecision = value;
      return this;
    }

    /** Sets the emergency reason; null: not an emergency. */
    public Builder overrideReason(String value) {
      this.overrideReason = value;
      return this;
    }

    /** Sets the release this one rolls back from; null: none. */
    public Builder rollbackOf(Long value) {
      this.rollbackOf = value;
      return this;
    }

    /** Sets the run holding the release's log; null: none. */
    public Builder runId(Long value) {
      this.runId = value;
      return this;
    }

    /** Returns the release. */
    public NewRelease build() {
      return new NewRelease(
          environment,
          version,
          commitSha,
          ref,
          actor,
          approvers,
          changeId,
          windowDecision,
          overrideReason,
          rollbackOf,
          runId,
          fencingToken);
    }
  }
}
