package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.deploy.Approval;
import dev.tollgate.core.deploy.ChangeCheck;
import dev.tollgate.core.deploy.ChangePolicy;
import dev.tollgate.core.deploy.ChangeRequest;
import dev.tollgate.core.deploy.ChangeStatus;
import dev.tollgate.core.deploy.DeploySpec;
import dev.tollgate.core.deploy.store.DeployStore;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Change requests: open one for a commit, approve it (self-approval and a second vote by the same
 * person do not count; enough counted approvals make it approved), reject it, show it with what
 * counts. {@code tollgate changes} for every front end. Thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class ChangeService {
  private final DeployProject project;
  private final DeployBackend backend;
  private final Clock clock;

  /** A service over {@code project}'s specs and repository, with state in {@code backend}. */
  public ChangeService(DeployProject project, DeployBackend backend, Clock clock) {
    this.project = Objects.requireNonNull(project, "project");
    this.backend = Objects.requireNonNull(backend, "backend");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Opens {@code change} as a draft for the commit its ref names, reviewed under its environment's
   * policy.
   *
   * @throws DeployInputException for a ref that does not exist
   * @throws TollgateException of kind {@code BAD_INPUT} for an unknown environment or broken spec
   */
  public ChangeReview create(NewChange change) {
    Objects.requireNonNull(change, "change");
    DeploySpec spec = project.spec(change.environment());
    DeployTarget target = DeployTarget.resolve(project.root(), change.ref());
    ChangeRequest created =
        backend
            .store()
            .createChange(
                change.environment(),
                change.type(),
                change.risk(),
                target.commitSha(),
                change.author(),
                change.reason());
    return review(created, spec.change().policy(change.type()));
  }

  /**
   * The change requests of {@code environment} (empty: of every environment), newest first, at most
   * {@code limit}, each reviewed under its environment's policy (its approval chain: who counts and
   * why the others do not).
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when an environment's spec is broken
   */
  public List<ChangeReview> list(Optional<String> environment, int limit) {
    Objects.requireNonNull(environment, "environment");
    List<ChangeReview> out = new java.util.ArrayList<>();
    for (ChangeRequest c : backend.store().changes(environment.orElse(null), limit)) {
      out.add(review(c, policy(c)));
    }
    return out;
  }

  /** The change request with this id, if there is one. */
  public Optional<ChangeRequest> find(String id) {
    return backend.store().change(Objects.requireNonNull(id, "id"));
  }

  /**
   * The change request with this id, reviewed under its environment's policy.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when there is no such request
   */
  public ChangeReview show(String id) {
    ChangeRequest c = get(backend.store(), id);
    return review(c, policy(c));
  }

  /**
   * Records {@code actor}'s approval of the change request's commit, at the clock's time. Every
   * vote is kept, even one that does not count; once enough count, a draft becomes approved.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when there is no such request or it is no
   *     longer a draft or approved
   */
  public ApprovalOutcome approve(String id, String actor) {
    Objects.requireNonNull(actor, "actor");
    DeployStore store = backend.store();
    ChangeRequest c = get(store, id);
    ChangePolicy.TypePolicy policy = policy(c);
    Approval vote = new Approval(actor, c.commitSha(), clock.instant());
    c.withApproval(vote); // refuses a vote on a request that is no longer draft or approved
    boolean recorded = store.addApproval(id, vote);
    ChangeRequest now = get(store, id);
    ChangeCheck.Tally tally = ChangeCheck.tally(now, policy, now.commitSha());
    boolean counted = recorded && tally.counted().stream().anyMatch(a -> a.equalsIgnoreCase(actor));
    if (now.status() == ChangeStatus.DRAFT && tally.counted().size() >= policy.approvals()) {
      now.transitionTo(ChangeStatus.APPROVED);
      store.setChangeStatus(id, ChangeStatus.DRAFT, ChangeStatus.APPROVED);
      now = get(store, id);
    }
    return new ApprovalOutcome(new ChangeReview(now, tally, policy.approvals()), recorded, counted);
  }

  /**
   * Rejects a draft or approved change request.
   *
   * @return the rejected request
   * @throws TollgateException of kind {@code BAD_INPUT} when there is no such request or it may not
   *     be rejected, of kind {@code COULD_NOT_FINISH} when someone changed it meanwhile
   */
  public ChangeRequest reject(String id) {
    DeployStore store = backend.store();
    ChangeRequest c = get(store, id);
    ChangeRequest rejected = c.transitionTo(ChangeStatus.REJECTED);
    if (!store.setChangeStatus(id, c.status(), ChangeStatus.REJECTED)) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "change request " + id + " changed meanwhile; try again");
    }
    return rejected;
  }

  private ChangePolicy.TypePolicy policy(ChangeRequest c) {
    return project.spec(c.environment()).change().policy(c.type());
  }

  private static ChangeReview review(ChangeRequest c, ChangePolicy.TypePolicy policy) {
    return new ChangeReview(c, ChangeCheck.tally(c, policy, c.commitSha()), policy.approvals());
  }

  private static ChangeRequest get(DeployStore store, String id) {
    Objects.requireNonNull(id, "id");
    return store
        .change(id)
        .orElseThrow(() -> TollgateException.badInput("change request " + id + ": no such id"));
  }
}
