package dev.tollgate.core.deploy.service;

import java.util.Objects;

/**
 * What an approval of a change request did.
 *
 * @param review the request as it is now, with its review
 * @param recorded whether the vote was recorded (false: this person already voted on this commit)
 * @param counted whether it was recorded and counts (not the author's, by a listed approver)
 */
public record ApprovalOutcome(ChangeReview review, boolean recorded, boolean counted) {
  /** Checks the fields. */
  public ApprovalOutcome {
    Objects.requireNonNull(review, "review");
  }
}
