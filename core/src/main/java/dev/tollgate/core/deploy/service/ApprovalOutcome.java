package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What an approval of a change request did.
 *
 * @param review the request as it is now, with its review
 * @param recorded whether the vote was recorded (false: this person already voted on this commit)
 * @param counted whether it was recorded and counts (not the author's, by a listed approver)
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record ApprovalOutcome(ChangeReview review, boolean recorded, boolean counted) {
  /** Checks the fields. */
  public ApprovalOutcome {
    Objects.requireNonNull(review, "review");
  }
}
