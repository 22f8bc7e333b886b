package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.apiguardian.api.API;

/** Where a promotion is: {@code pending → approved → executing → deployed | rolled_back}. */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum PromotionStatus {
  /** Asked for, waiting for approval. */
  PENDING,
  /** Approved, waiting to run. */
  APPROVED,
  /** The deploy is running. */
  EXECUTING,
  /** The release is live in the environment; final. */
  DEPLOYED,
  /** The deploy failed and was undone; final. */
  ROLLED_BACK;

  /** The statuses this one may move to. */
  public Set<PromotionStatus> next() {
    return switch (this) {
      case PENDING -> EnumSet.of(APPROVED);
      case APPROVED -> EnumSet.of(EXECUTING);
      case EXECUTING -> EnumSet.of(DEPLOYED, ROLLED_BACK);
      case DEPLOYED, ROLLED_BACK -> EnumSet.noneOf(PromotionStatus.class);
    };
  }

  /** The lower-case name used in files and messages, e.g. {@code rolled_back}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
