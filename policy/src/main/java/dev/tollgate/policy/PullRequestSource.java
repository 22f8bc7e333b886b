package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.repo.RepositoryView;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Where {@link MergeGateService} reads the facts of one pull request: by default the local Git
 * checkout and what the caller says about the pull request ({@link MergeGateRequest}); a host
 * integration such as the GitHub one supplies its own, reading the event and the API as far as the
 * checkout does not have the facts.
 *
 * <p>A source is read once per evaluation, inside the checkout the service opened, and may read
 * lazily: {@link Change#facts} says which facts the policy reads, so that the others need not be
 * looked up.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public interface PullRequestSource {

  /**
   * Reads the change to gate in {@code checkout}.
   *
   * @param checkout the repository the service opened (its work tree holds the work items)
   * @param defaultBase the base to use when the source names none; it throws {@link
   *     MissingBaseException} when none of the request's candidates exists
   * @throws dev.tollgate.core.TollgateException of kind {@code BAD_INPUT} when a ref names nothing
   *     or the checkout lacks the commits
   */
  Change read(RepositoryView checkout, Supplier<String> defaultBase);

  /**
   * One change as a source read it: the base and head as shown and as committed, where the policy
   * is looked for, and the pull request's facts.
   */
  interface Change {
    /** The base as people know it, e.g. {@code main}. */
    String baseLabel();

    /** The base commit (or the ref it was resolved from, when the source has no id for it). */
    String baseCommit();

    /** The head as people know it, e.g. {@code HEAD} or the pull request's branch. */
    String headLabel();

    /** The head commit. */
    String headCommit();

    /** The revision {@code .tollgate/policy.yml} is read at first: the base. */
    String baseRevision();

    /** The revision the policy is read at when the base has none: the head. */
    String headRevision();

    /**
     * Both revisions for a message when neither has a policy, e.g. {@code in main or HEAD of
     * /repo}.
     */
    String describeRevisions();

    /** The content of {@code path} at {@code revision}; empty when it has no such file. */
    Optional<byte[]> fileAt(String revision, String path);

    /** The pull request's facts, reading beyond the change only what {@code reads} asks. */
    PullRequestFacts facts(MergeGate.Reads reads);

    /** Where the facts came from, for a job summary; complete once {@link #facts} was called. */
    default List<String> notes() {
      return List.of();
    }
  }
}
