package dev.tollgate.core.deploy.service;

import dev.tollgate.core.deploy.ChangeCheck;
import dev.tollgate.core.deploy.ChangeRequest;
import java.util.Objects;

/**
 * A change request with its review under its environment's policy: which approvals count for its
 * commit, which do not and why, and how many it needs.
 *
 * @param request the change request
 * @param tally its approvals sorted into those that count and those that do not
 * @param approvalsNeeded how many counted approvals its type needs
 */
public record ChangeReview(ChangeRequest request, ChangeCheck.Tally tally, int approvalsNeeded) {
  /** Checks the fields. */
  public ChangeReview {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(tally, "tally");
  }
}
