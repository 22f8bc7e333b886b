package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.repo.ChangeSet;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What one merge-gate evaluation examined: the base and head as shown and as committed, the branch,
 * where the policy came from, and the changed files. Renderers print it above the verdict.
 *
 * @param baseRef the base as people know it, e.g. {@code main}
 * @param baseCommit the base commit's id
 * @param headRef the head as people know it, e.g. {@code HEAD} or the pull request's branch
 * @param headCommit the head commit's id
 * @param branch the pull request's head branch; empty when unknown
 * @param policyFile the policy as named in messages, e.g. {@code .tollgate/policy.yml}
 * @param policyRef where the policy was read, e.g. {@code main}; empty for a file given directly
 * @param changes the files changed between the merge base and head
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record GatedChange(
    String baseRef,
    String baseCommit,
    String headRef,
    String headCommit,
    Optional<String> branch,
    String policyFile,
    Optional<String> policyRef,
    ChangeSet changes) {

  /** Checks that every part is present. */
  public GatedChange {
    Objects.requireNonNull(baseRef, "baseRef");
    Objects.requireNonNull(baseCommit, "baseCommit");
    Objects.requireNonNull(headRef, "headRef");
    Objects.requireNonNull(headCommit, "headCommit");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(policyFile, "policyFile");
    Objects.requireNonNull(policyRef, "policyRef");
    Objects.requireNonNull(changes, "changes");
  }
}
