package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.deploy.ChangeType;
import dev.tollgate.core.deploy.Risk;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A change request to open, as {@link ChangeService#create} takes it. Built with {@link #builder}.
 *
 * @param environment the environment it changes
 * @param type which approval policy applies
 * @param risk how risky the author says it is
 * @param ref the branch, tag or commit it approves; empty for the checkout's {@code HEAD}
 * @param author who opens it; never counts as an approver
 * @param reason why; required for an emergency
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record NewChange(
    String environment,
    ChangeType type,
    Risk risk,
    Optional<String> ref,
    String author,
    Optional<String> reason) {

  /** Checks the fields; an emergency needs a reason. */
  public NewChange {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(risk, "risk");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(reason, "reason");
    if (type == ChangeType.EMERGENCY && reason.filter(r -> !r.isBlank()).isEmpty()) {
      throw new IllegalArgumentException("an emergency change request needs a reason");
    }
  }

  /**
   * Returns a builder of a {@link ChangeType#NORMAL} change request of {@link Risk#MEDIUM} risk to
   * {@code environment}, opened by {@code author}.
   */
  public static Builder builder(String environment, String author) {
    return new Builder(environment, author);
  }

  /** A builder of {@link NewChange}; every setter checks its input. */
  public static final class Builder {
    private final String environment;
    private final String author;
    private ChangeType type = ChangeType.NORMAL;
    private Risk risk = Risk.MEDIUM;
    private Optional<String> ref = Optional.empty();
    private Optional<String> reason = Optional.empty();

    private Builder(String environment, String author) {
      this.environment = DeployOrder.text(environment, "environment");
      this.author = DeployOrder.text(author, "author");
    }

    /** Sets the type (default normal). */
    public Builder type(ChangeType value) {
      this.type = Objects.requireNonNull(value, "type");
      return this;
    }

    /** Sets the risk (default medium). */
    public Builder risk(Risk value) {
      this.risk = Objects.requireNonNull(value, "risk");
      return this;
    }

    /** Sets the branch, tag or commit to approve; null (the default) approves HEAD. */
    public Builder ref(String value) {
      this.ref = Optional.ofNullable(value);
      return this;
    }

    /** Sets why; null (the default): no reason. */
    public Builder reason(String value) {
      this.reason = Optional.ofNullable(value);
      return this;
    }

    /**
     * Returns the change request to open.
     *
     * @throws IllegalArgumentException for an emergency without a reason
     */
    public NewChange build() {
      return new NewChange(environment, type, risk, ref, author, reason);
    }
  }
}
