package dev.tollgate.core.deploy.store;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.deploy.Promotion;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A promotion as the store keeps it: the promotion, the commit it ships, and the release that
 * executed it once it ran (whose log and backup reference a list shows). {@link
 * DeployStore#promotionEntries} reads a whole list of them in one query.
 *
 * @param promotion the promotion
 * @param commitSha the commit it ships
 * @param release the release that executed it, empty until it ran
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record PromotionEntry(Promotion promotion, String commitSha, Optional<Release> release) {
  /** Checks the fields. */
  public PromotionEntry {
    Objects.requireNonNull(promotion, "promotion");
    Objects.requireNonNull(commitSha, "commitSha");
    Objects.requireNonNull(release, "release");
  }
}
