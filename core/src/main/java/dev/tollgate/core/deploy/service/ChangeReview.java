package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.deploy.ChangeCheck;
import dev.tollgate.core.deploy.ChangeRequest;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A change request with its review under its environment's policy: which approvals count for its
 * commit, which do not and why, and how many it needs.
 *
 * @param request the change request
 * @param tally its approvals sorted into those that count and those that do not
 * @param approvalsNeeded how many counted approvals its type needs
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record ChangeReview(ChangeRequest request, ChangeCheck.Tally tally, int approvalsNeeded) {
  /** Checks the fields. */
  public ChangeReview {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(tally, "tally");
  }
}
