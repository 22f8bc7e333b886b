package dev.tollgate.actions.report;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.policy.MergeGateResult;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What a gate report says about what was gated, above the verdict: the base and head, the policy,
 * the run, and where the facts came from.
 *
 * @param baseLabel the base as people know it, e.g. {@code main}
 * @param headLabel the head as people know it, e.g. the pull request's branch
 * @param headCommit the head commit's id
 * @param policyFile the policy file, e.g. {@code .tollgate/policy.yml}
 * @param policyRef where the policy was read, e.g. {@code main}; empty for a file given directly
 * @param runUrl the workflow run's page; empty outside a run
 * @param notes where facts came from, for the job summary
 * @param sourceUrl where the head commit's files are on the web, ending in {@code /}, e.g. {@code
 *     https://github.com/o/r/blob/SHA/}: each place the report names links there; empty for places
 *     without links
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record GateHeading(
    String baseLabel,
    String headLabel,
    String headCommit,
    String policyFile,
    Optional<String> policyRef,
    Optional<String> runUrl,
    List<String> notes,
    Optional<String> sourceUrl) {

  /** Checks the parts and copies the notes. */
  public GateHeading {
    Objects.requireNonNull(sourceUrl, "sourceUrl");
    Objects.requireNonNull(baseLabel, "baseLabel");
    Objects.requireNonNull(headLabel, "headLabel");
    Objects.requireNonNull(headCommit, "headCommit");
    Objects.requireNonNull(policyFile, "policyFile");
    Objects.requireNonNull(policyRef, "policyRef");
    Objects.requireNonNull(runUrl, "runUrl");
    notes = List.copyOf(notes);
  }

  /** A heading whose places link nowhere. */
  public GateHeading(
      String baseLabel,
      String headLabel,
      String headCommit,
      String policyFile,
      Optional<String> policyRef,
      Optional<String> runUrl,
      List<String> notes) {
    this(baseLabel, headLabel, headCommit, policyFile, policyRef, runUrl, notes, Optional.empty());
  }

  /** The heading of {@code result}: its base, head and policy, its notes, and the run's page. */
  public static GateHeading of(MergeGateResult result, Optional<String> runUrl) {
    return of(result, runUrl, Optional.empty());
  }

  /**
   * The heading of {@code result}, its places linked below {@code sourceUrl} (see {@link
   * #sourceUrl()}).
   */
  public static GateHeading of(
      MergeGateResult result, Optional<String> runUrl, Optional<String> sourceUrl) {
    return new GateHeading(
        result.change().baseRef(),
        result.change().headRef(),
        result.change().headCommit(),
        result.change().policyFile(),
        result.change().policyRef(),
        runUrl,
        result.notes(),
        sourceUrl);
  }
}
