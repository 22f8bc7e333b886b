package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Where a change request is in its life: {@code draft → approved → in-progress → completed}, and
 * {@code rejected} or {@code cancelled} from draft or approved.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum ChangeStatus {
  /** Written, collecting approvals. */
  DRAFT,
  /** Approved; a deploy may use it. */
  APPROVED,
  /** A deploy using it is running. */
  IN_PROGRESS,
  /** The deploy finished; final. */
  COMPLETED,
  /** Refused by an approver; final. */
  REJECTED,
  /** Withdrawn; final. */
  CANCELLED;

  /** The statuses this one may move to. */
  public Set<ChangeStatus> next() {
    return switch (this) {
      case DRAFT -> EnumSet.of(APPROVED, REJECTED, CANCELLED);
      case APPROVED -> EnumSet.of(IN_PROGRESS, REJECTED, CANCELLED);
      case IN_PROGRESS -> EnumSet.of(COMPLETED);
      case COMPLETED, REJECTED, CANCELLED -> EnumSet.noneOf(ChangeStatus.class);
    };
  }

  /** The name used in files and messages: lower case with '-', e.g. {@code in-progress}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
