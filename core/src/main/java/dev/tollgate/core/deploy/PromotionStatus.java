package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Where a promotion is: {@code pending → approved → executing → deployed | rolled_back | failed}.
 */
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
  /**
   * The deploy failed or was cancelled, and was undone: its rollback and smoke checks passed;
   * final.
   */
  ROLLED_BACK,
  /**
   * The deploy failed and was not undone: its rollback failed or could not run, or the deploy could
   * not finish; the environment stays held until a person has looked. Final.
   */
  FAILED;

  /** The statuses this one may move to. */
  public Set<PromotionStatus> next() {
    return switch (this) {
      case PENDING -> EnumSet.of(APPROVED);
      case APPROVED -> EnumSet.of(EXECUTING);
      case EXECUTING -> EnumSet.of(DEPLOYED, ROLLED_BACK, FAILED);
      case DEPLOYED, ROLLED_BACK, FAILED -> EnumSet.noneOf(PromotionStatus.class);
    };
  }

  /** The lower-case name used in files and messages, e.g. {@code rolled_back}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
