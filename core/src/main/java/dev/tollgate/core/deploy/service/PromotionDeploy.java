package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A request to execute an approved promotion ("Deploy now"), as {@link
 * PromotionService#prepareDeploy} takes it.
 *
 * @param promotionId the promotion
 * @param actor who deploys
 * @param changeId the approved change request the deploy runs under, or empty
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record PromotionDeploy(String promotionId, String actor, Optional<String> changeId) {
  /** Checks the fields. */
  public PromotionDeploy {
    DeployOrder.text(promotionId, "promotionId");
    DeployOrder.text(actor, "actor");
    Objects.requireNonNull(changeId, "changeId");
  }
}
