package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Instant;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One person's approval of a change request, bound to the commit they looked at: it counts only for
 * a deploy of that exact commit.
 *
 * @param actor the approver's login
 * @param commitSha the commit approved, lower-case hex
 * @param at when they approved
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record Approval(String actor, String commitSha, Instant at) {
  /** Checks every field. */
  public Approval {
    Specs.text(actor, "actor");
    ChangeRequest.requireSha(commitSha, "commitSha of the approval by " + actor);
    Objects.requireNonNull(at, "at");
  }
}
