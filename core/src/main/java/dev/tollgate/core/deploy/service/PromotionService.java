package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.deploy.Promotion;
import dev.tollgate.core.deploy.PromotionStatus;
import dev.tollgate.core.deploy.engine.DeployResult;
import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.deploy.store.PromotionEntry;
import dev.tollgate.core.deploy.store.Release;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * Promotions: propose moving a ref into an environment ({@code pending}), approve it ({@code
 * approved}), execute it with a governed deploy ({@code executing}, then {@code deployed}, {@code
 * rolled_back} or {@code failed}), list them with the release that executed each. {@code tollgate
 * promotions} and the control plane's "Deploy now" for every front end. Thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class PromotionService {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private final DeployProject project;
  private final DeployBackend backend;
  private final DeployService deploys;

  /**
   * A service over {@code project}'s repository, with state in {@code backend}, executing
   * promotions with {@code deploys} (which should work on the same project and backend).
   */
  public PromotionService(DeployProject project, DeployBackend backend, DeployService deploys) {
    this.project = Objects.requireNonNull(project, "project");
    this.backend = Objects.requireNonNull(backend, "backend");
    this.deploys = Objects.requireNonNull(deploys, "deploys");
  }

  /**
   * Proposes, on behalf of {@code actor}, promoting {@code ref} (empty: the checkout's HEAD) to
   * {@code environment}; the promotion is pending and shows the ref's version. Who proposed it is
   * written to the environment's audit trail (kind {@code promotion-created}), as approvals and
   * deploys name their actor.
   *
   * @throws DeployInputException for a ref that does not exist
   */
  public Promotion create(String environment, Optional<String> ref, String actor) {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(actor, "actor");
    if (actor.isBlank()) {
      throw new IllegalArgumentException("actor must not be blank");
    }
    DeployTarget target = DeployTarget.resolve(project.root(), ref);
    DeployStore store = backend.store();
    Promotion p = store.createPromotion(environment, target.version(), target.commitSha());
    store.audit(
        environment,
        actor,
        "promotion-created",
        "proposed promotion " + p.id() + ": " + p.releaseRef() + " to " + environment,
        JSON.objectNode()
            .put("promotion", p.id())
            .put("ref", p.releaseRef())
            .put("commit", target.commitSha()));
    return p;
  }

  /**
   * The promotions of {@code environment} (empty: of every environment), newest first, at most
   * {@code limit}, each with the release that executed it: one query, however many there are.
   */
  public List<PromotionEntry> list(Optional<String> environment, int limit) {
    Objects.requireNonNull(environment, "environment");
    return backend.store().promotionEntries(environment.orElse(null), limit);
  }

  /** The promotion with this id and the release that executed it, if there is one. */
  public Optional<PromotionEntry> find(String id) {
    return backend.store().promotionEntry(Objects.requireNonNull(id, "id"));
  }

  /**
   * Approves a pending promotion on behalf of {@code actor}.
   *
   * @return the approved promotion
   * @throws TollgateException of kind {@code BAD_INPUT} when there is no such promotion or it is
   *     not pending, of kind {@code COULD_NOT_FINISH} when someone changed it meanwhile
   */
  public Promotion approve(String id, String actor) {
    Objects.requireNonNull(actor, "actor");
    DeployStore store = backend.store();
    Promotion p = get(store, id).promotion();
    Promotion approved = p.transitionTo(PromotionStatus.APPROVED);
    if (!store.setPromotionStatus(id, p.status(), PromotionStatus.APPROVED, actor)) {
      throw changedMeanwhile(id);
    }
    return approved;
  }

  /**
   * Prepares the execution of an approved promotion: a governed deploy of its commit to its
   * environment, under the change request given. Running the deployment moves the promotion to
   * {@code executing}; a deploy that records a release links it to the promotion, which ends {@code
   * deployed} when the deploy exits 0, {@code rolled_back} when it was undone (rolled back or
   * cancelled), and {@code failed} when it was not (its rollback failed, or it could not finish). A
   * deploy that finds the promotion's commit already deployed there records no release: the
   * promotion ends {@code deployed}, linked to the release that put the commit there, since what it
   * asked for holds. A deploy a gate blocked records none either and leaves the promotion {@code
   * approved} for another try.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when there is no such promotion or it is
   *     not approved; as {@link DeployService#prepare} for the deploy
   */
  public Deployment prepareDeploy(PromotionDeploy order, Consumer<String> progress) {
    Objects.requireNonNull(order, "order");
    String id = order.promotionId();
    DeployStore store = backend.store();
    PromotionEntry entry = get(store, id);
    Promotion p = entry.promotion();
    p.transitionTo(PromotionStatus.EXECUTING);
    DeployOrder deploy =
        DeployOrder.builder(p.environment(), order.actor())
            .ref(entry.commitSha())
            .changeId(order.changeId().orElse(null))
            .build();
    return deploys
        .prepare(deploy, progress)
        .around(
            run ->
                () -> {
                  if (!store.setPromotionStatus(
                      id, PromotionStatus.APPROVED, PromotionStatus.EXECUTING, order.actor())) {
                    throw changedMeanwhile(id);
                  }
                  long before = latestRelease(store, p.environment());
                  DeployResult result = run.get();
                  boolean already = alreadyThere(result, entry.commitSha());
                  Optional<Release> released =
                      result.release().filter(r -> r.id() > before || already);
                  if (released.isEmpty()) {
                    // Blocked by a gate: nothing ran; try again later.
                    store.setPromotionStatus(
                        id, PromotionStatus.EXECUTING, PromotionStatus.APPROVED, order.actor());
                    return result;
                  }
                  store.linkPromotion(id, released.get().id());
                  store.setPromotionStatus(
                      id, PromotionStatus.EXECUTING, ended(result.outcome()), order.actor());
                  return result;
                });
  }

  /** Where a promotion ends after a deploy that recorded a release. */
  static PromotionStatus ended(DeployResult.Outcome outcome) {
    return switch (outcome) {
      case DEPLOYED, WOULD_PROCEED -> PromotionStatus.DEPLOYED;
      case ROLLED_BACK, CANCELLED -> PromotionStatus.ROLLED_BACK;
      case FAILED_ROLLBACK, FAILED, BLOCKED -> PromotionStatus.FAILED;
    };
  }

  /**
   * Whether the deploy found {@code commitSha} already deployed, as the environment's latest
   * release, and so ran nothing: its result then names that release.
   */
  static boolean alreadyThere(DeployResult result, String commitSha) {
    return result.outcome() == DeployResult.Outcome.DEPLOYED
        && result
            .release()
            .filter(r -> r.status().equals("deployed") && r.commitSha().equals(commitSha))
            .isPresent();
  }

  private static long latestRelease(DeployStore store, String environment) {
    return store.releases(environment, 1).stream().mapToLong(Release::id).max().orElse(0);
  }

  private static PromotionEntry get(DeployStore store, String id) {
    Objects.requireNonNull(id, "id");
    return store
        .promotionEntry(id)
        .orElseThrow(() -> TollgateException.badInput("promotion " + id + ": no such id"));
  }

  private static TollgateException changedMeanwhile(String id) {
    return new TollgateException(
        TollgateException.Kind.COULD_NOT_FINISH,
        "promotion " + id + " changed meanwhile; try again");
  }
}
