package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * A request to move one release into one environment (for example the release staging runs into
 * production). Immutable: each transition returns the new promotion; storing it is the caller's
 * job.
 *
 * @param id the promotion's id
 * @param environment the target environment
 * @param releaseRef the release promoted: a tag, version or commit
 * @param status where it is
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record Promotion(String id, String environment, String releaseRef, PromotionStatus status) {
  /** The rule id of diagnostics about promotions. */
  public static final String RULE_ID = "promotion";

  /** Checks every field. */
  public Promotion {
    Specs.text(id, "id");
    Specs.text(environment, "environment");
    Specs.text(releaseRef, "releaseRef");
    Objects.requireNonNull(status, "status");
  }

  /** A new pending promotion. */
  public static Promotion pending(String id, String environment, String releaseRef) {
    return new Promotion(id, environment, releaseRef, PromotionStatus.PENDING);
  }

  /**
   * This promotion moved to {@code target}.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} naming the current status, the target and
   *     the statuses allowed next, when {@link PromotionStatus#next()} does not allow the move
   */
  public Promotion transitionTo(PromotionStatus target) {
    Objects.requireNonNull(target, "target");
    if (!status.next().contains(target)) {
      String allowed =
          status.next().isEmpty()
              ? "none: " + status.label() + " is final"
              : status.next().stream()
                  .map(PromotionStatus::label)
                  .collect(Collectors.joining(", "));
      throw TollgateException.badInput(
          Diagnostic.of(
              Severity.ERROR,
              RULE_ID,
              "promotion "
                  + id
                  + " of "
                  + releaseRef
                  + " to "
                  + environment
                  + " cannot go from "
                  + status.label()
                  + " to "
                  + target.label()
                  + "; allowed next: "
                  + allowed,
              Location.ofFile("promotion"),
              null));
    }
    return new Promotion(id, environment, releaseRef, target);
  }
}
