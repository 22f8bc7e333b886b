package dev.tollgate.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.deploy.ChangeType;
import dev.tollgate.core.deploy.Promotion;
import dev.tollgate.core.deploy.Risk;
import dev.tollgate.core.deploy.service.ApprovalOutcome;
import dev.tollgate.core.deploy.service.DeployJson;
import dev.tollgate.core.deploy.service.DeployServices;
import dev.tollgate.core.deploy.service.EnvironmentStatus;
import dev.tollgate.core.deploy.service.HoldResult;
import dev.tollgate.core.deploy.service.NewChange;
import dev.tollgate.core.deploy.service.UnlockOutcome;
import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.deploy.store.LockHolder;
import dev.tollgate.core.deploy.store.PromotionEntry;
import dev.tollgate.core.deploy.store.Release;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.policy.WorkItemJson;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The deploy endpoints under {@code /api/deploys/}: environments with their lock or hold, window
 * and releases; promotions (create, approve, deploy now, follow); change requests (create, approve,
 * reject) with their approval chain; hold and unlock with a reason. Each calls the same library
 * service as the CLI's {@code tollgate promotions}, {@code changes}, {@code lock} and {@code
 * unlock}, as the caller.
 */
final class DeploysApi {
  /** The longest reason a caller may give for a hold or an unlock. */
  static final int MAX_REASON = 500;

  private final ControlPlane plane;

  DeploysApi(ControlPlane plane) {
    this.plane = plane;
  }

  private DeployServices services() {
    return plane
        .deploys()
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "this control plane serves no deploys (the host gave no deploy services)"));
  }

  /** {@code GET /api/deploys/environments}: every environment's lock, window and latest release. */
  void environments(Exchange x) throws IOException {
    ObjectNode body = Exchange.JSON.createObjectNode();
    ArrayNode a = body.putArray("environments");
    for (EnvironmentStatus s : services().environments().all()) {
      a.add(DeployJson.environment(s));
    }
    x.ok(body);
  }

  /**
   * {@code GET /api/deploys/environments/{env}}: its status, its newest releases and its audit
   * trail ({@code limit} of each, default 20).
   */
  void environment(Exchange x) throws IOException {
    DeployServices s = services();
    String env = environmentPath(s, x);
    int limit = x.intQuery("limit", 20, RunsApi.MAX_PAGE);
    ObjectNode body = DeployJson.environment(s.environments().status(env));
    ArrayNode releases = body.putArray("releases");
    s.locks().releases(env, limit).forEach(r -> releases.add(DeployJson.release(r)));
    ArrayNode audit = body.putArray("audit");
    s.environments().audit(env, limit).forEach(e -> audit.add(DeployJson.audit(e)));
    x.ok(body);
  }

  /** {@code POST /api/deploys/environments/{env}/hold} with {@code {"reason": "…"}} (required). */
  void hold(Exchange x) throws IOException {
    DeployServices s = services();
    String env = environmentPath(s, x);
    String reason = reason(x.body(), true);
    x.reply(201, DeployJson.lock(hold(s, env, x.identity().name(), reason)));
  }

  /** Holds {@code env} and returns the hold, or refuses with 409 naming what locks it already. */
  static LockHolder hold(DeployServices s, String env, String actor, String reason) {
    HoldResult result = s.locks().hold(env, actor, reason);
    if (result instanceof HoldResult.AlreadyLocked already) {
      ObjectNode extra = Exchange.JSON.createObjectNode();
      extra.set("lock", DeployJson.lock(already.holder()));
      throw new ApiException(
          409,
          Diagnostic.of(
              Severity.ERROR,
              "deploy-lock",
              env
                  + " is already "
                  + (already.holder().isHold() ? "held" : "locked by a running deploy")
                  + " by "
                  + already.holder().author()
                  + ": "
                  + already.holder().reason(),
              new Location("", 0, 0),
              "read the lock's reason; unlock it first if the hold should change"),
          extra);
    }
    return ((HoldResult.Held) result).holder();
  }

  /**
   * {@code POST /api/deploys/environments/{env}/unlock} with {@code {"reason": "…", "force":
   * false}}: removes a hold (with {@code force}, a running deploy's lock too, which is audited and
   * fences that deploy out).
   */
  void unlock(Exchange x) throws IOException {
    DeployServices s = services();
    String env = environmentPath(s, x);
    ObjectNode request = x.body();
    String reason = reason(request, false);
    JsonNode force = request.get("force");
    if (force != null && !force.isBoolean() && !force.isNull()) {
      throw ApiException.badRequest(
          "force: expected true or false but found " + force.getNodeType(), null);
    }
    UnlockOutcome outcome =
        unlock(s, env, x.identity().name(), force != null && force.asBoolean(), reason);
    ObjectNode body = Exchange.JSON.createObjectNode();
    body.put("environment", env);
    body.put("result", outcome.result().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    if (outcome.before().isPresent()) {
      body.set("before", DeployJson.lock(outcome.before().get()));
    }
    x.ok(body);
  }

  /** Unlocks {@code env}, or refuses with 409 when a running deploy holds it and force is off. */
  static UnlockOutcome unlock(
      DeployServices s, String env, String actor, boolean force, String reason) {
    UnlockOutcome outcome = s.locks().unlock(env, actor, force, reason);
    if (outcome.result() == DeployStore.UnlockResult.HELD_BY_DEPLOY) {
      throw ApiException.of(
          409,
          "deploy-lock",
          env
              + " is locked by a running deploy ("
              + outcome.before().map(l -> l.holder()).orElse("")
              + "); it was left alone",
          "wait for the deploy to end, or unlock with force (audited; the deploy is fenced out and"
              + " its rollback does not run)");
    }
    return outcome;
  }

  /** {@code GET /api/deploys/promotions?environment=&limit=}: newest first. */
  void promotions(Exchange x) throws IOException {
    DeployServices s = services();
    int limit = x.intQuery("limit", 50, RunsApi.MAX_PAGE);
    ObjectNode body = Exchange.JSON.createObjectNode();
    ArrayNode a = body.putArray("promotions");
    for (PromotionEntry e : s.promotions().list(x.query("environment"), limit)) {
      a.add(promotion(s, e));
    }
    x.ok(body);
  }

  /**
   * {@code GET /api/deploys/promotions/{id}}: the promotion, its release once a deploy executed it,
   * whether this console is deploying it now and the run whose events are that deploy's log ({@code
   * logRunId}, present as soon as the deploy has started), and the last attempt's outcome.
   */
  void promotion(Exchange x) throws IOException {
    DeployServices s = services();
    x.ok(promotion(s, entry(s, x.path("id"))));
  }

  /** {@code POST /api/deploys/promotions} with {@code {"environment": "…", "ref": "…"}}. */
  void createPromotion(Exchange x) throws IOException {
    DeployServices s = services();
    ObjectNode request = x.body();
    String env = requiredText(request, "environment");
    known(s, env);
    Optional<String> ref = optionalText(request, "ref");
    Promotion p = s.promotions().create(env, ref, x.identity().name());
    x.reply(201, promotion(s, entry(s, p.id())));
  }

  /** {@code POST /api/deploys/promotions/{id}/approve}. */
  void approvePromotion(Exchange x) throws IOException {
    x.body();
    DeployServices s = services();
    String id = entry(s, x.path("id")).promotion().id();
    s.promotions().approve(id, x.identity().name());
    x.ok(promotion(s, entry(s, id)));
  }

  /**
   * {@code POST /api/deploys/promotions/{id}/deploy} with an optional {@code {"change": "…"}}:
   * "Deploy now". Answers 202 once the deploy has started (follow it with {@code GET
   * /api/deploys/promotions/{id}}), 409 when the environment's lock is held, 422 with every gate
   * and its recovery when another gate refuses it; nothing starts then.
   */
  void deployPromotion(Exchange x) throws IOException {
    DeployServices s = services();
    Optional<String> change = optionalText(x.body(), "change");
    String id = entry(s, x.path("id")).promotion().id();
    Deployments.Start start =
        plane.deployments().deployPromotion(s, id, x.identity().name(), change);
    if (start instanceof Deployments.Refused refused) {
      throw refusedDeploy(id, refused);
    }
    x.reply(202, promotion(s, entry(s, id)));
  }

  /** The 409 (held lock) or 422 (another gate) for a deploy its gates refused. */
  static ApiException refusedDeploy(String id, Deployments.Refused refused) {
    GateResult first = refused.failing().get(0);
    Diagnostic d =
        Diagnostic.of(
            Severity.ERROR,
            first.gate(),
            "promotion " + id + " cannot deploy now: " + first.reason(),
            new Location("", 0, 0),
            first.recovery().map(Recovery::nextStep).orElse(null));
    ObjectNode extra = Exchange.JSON.createObjectNode();
    extra.put("started", false);
    extra.set("gates", WorkItemJson.gates(refused.gates()));
    return new ApiException(refused.status(), d, extra);
  }

  /** {@code GET /api/deploys/changes?environment=&limit=}: newest first, with approval chains. */
  void changes(Exchange x) throws IOException {
    DeployServices s = services();
    int limit = x.intQuery("limit", 50, RunsApi.MAX_PAGE);
    ObjectNode body = Exchange.JSON.createObjectNode();
    ArrayNode a = body.putArray("changes");
    s.changes().list(x.query("environment"), limit).forEach(r -> a.add(DeployJson.change(r)));
    x.ok(body);
  }

  /** {@code GET /api/deploys/changes/{id}}. */
  void change(Exchange x) throws IOException {
    DeployServices s = services();
    x.ok(DeployJson.change(s.changes().show(changeId(s, x))));
  }

  /**
   * {@code POST /api/deploys/changes} with {@code {"environment", "type", "risk", "ref",
   * "reason"}}: the caller is its author.
   */
  void createChange(Exchange x) throws IOException {
    DeployServices s = services();
    ObjectNode request = x.body();
    String env = requiredText(request, "environment");
    known(s, env);
    ChangeType type =
        parse(ChangeType.values(), optionalText(request, "type").orElse("normal"), "type");
    Risk risk = parse(Risk.values(), optionalText(request, "risk").orElse("medium"), "risk");
    Optional<String> reason = optionalText(request, "reason");
    if (reason.isPresent() && reason.get().length() > MAX_REASON) {
      throw ApiException.badRequest("reason: expected at most 500 characters", null);
    }
    if (type == ChangeType.EMERGENCY && reason.isEmpty()) {
      throw ApiException.badRequest(
          "reason: an emergency change needs a reason but none was given", null);
    }
    NewChange change =
        NewChange.builder(env, x.identity().name())
            .type(type)
            .risk(risk)
            .ref(optionalText(request, "ref").orElse(null))
            .reason(reason.orElse(null))
            .build();
    x.reply(201, DeployJson.change(s.changes().create(change)));
  }

  /**
   * {@code POST /api/deploys/changes/{id}/approve}: the caller's vote; {@code counted} says whether
   * it counts (the author's own and a repeated vote do not).
   */
  void approveChange(Exchange x) throws IOException {
    x.body();
    DeployServices s = services();
    ApprovalOutcome outcome = s.changes().approve(changeId(s, x), x.identity().name());
    ObjectNode body = Exchange.JSON.createObjectNode();
    body.put("recorded", outcome.recorded());
    body.put("counted", outcome.counted());
    body.set("change", DeployJson.change(outcome.review()));
    x.ok(body);
  }

  /** {@code POST /api/deploys/changes/{id}/reject}. */
  void rejectChange(Exchange x) throws IOException {
    x.body();
    DeployServices s = services();
    String id = changeId(s, x);
    s.changes().reject(id);
    x.ok(DeployJson.change(s.changes().show(id)));
  }

  /** The promotion as {@link DeployJson#promotion}, with what this console knows of its deploy. */
  ObjectNode promotion(DeployServices s, PromotionEntry e) {
    ObjectNode o = DeployJson.promotion(e);
    String id = e.promotion().id();
    o.put("deploying", plane.deployments().deploying(id));
    if (!o.has("logRunId")) {
      executing(s, e).ifPresent(r -> o.put("logRunId", r.runId()));
    }
    Optional<Deployments.Attempt> last = plane.deployments().lastAttempt(id);
    if (last.isPresent()) {
      o.putObject("lastAttempt")
          .put("outcome", last.get().outcome())
          .put("message", last.get().message())
          .put("at", last.get().at().toString());
    } else {
      o.putNull("lastAttempt");
    }
    return o;
  }

  /**
   * The release executing the promotion now: its environment's in-progress release of its commit.
   * The environment's lock lets only one deploy run at a time, so there is at most one.
   */
  static Optional<Release> executing(DeployServices s, PromotionEntry e) {
    if (e.release().isPresent() || !e.promotion().status().label().equals("executing")) {
      return Optional.empty();
    }
    return s.locks().releases(e.promotion().environment(), 3).stream()
        .filter(r -> r.status().equals("in_progress") && r.commitSha().equals(e.commitSha()))
        .filter(r -> r.runId() != null)
        .findFirst();
  }

  static PromotionEntry entry(DeployServices s, String id) {
    return s.promotions().find(id).orElseThrow(() -> ApiException.notFound("no promotion " + id));
  }

  private static String changeId(DeployServices s, Exchange x) {
    String id = x.path("id");
    if (s.changes().find(id).isEmpty()) {
      throw ApiException.notFound("no change request " + id);
    }
    return id;
  }

  private static String environmentPath(DeployServices s, Exchange x) {
    String env = x.path("env");
    known(s, env);
    return env;
  }

  /** Refuses an environment no spec file declares, with 404 and the known ones. */
  static void known(DeployServices s, String env) {
    List<String> names = s.environments().names();
    if (!names.contains(env)) {
      throw ApiException.of(
          404,
          "api.not-found",
          "no environment '" + env + "'; known: " + String.join(", ", names),
          null);
    }
  }

  private static String reason(ObjectNode body, boolean required) {
    Optional<String> reason = optionalText(body, "reason");
    if (required && reason.isEmpty()) {
      throw ApiException.badRequest(
          "reason: a hold needs a reason (everyone it blocks reads it) but none was given", null);
    }
    if (reason.isPresent() && reason.get().length() > MAX_REASON) {
      throw ApiException.badRequest("reason: expected at most 500 characters", null);
    }
    return reason.orElse("");
  }

  private static String requiredText(ObjectNode body, String name) {
    return optionalText(body, name)
        .orElseThrow(
            () -> ApiException.badRequest(name + ": expected a string but none was given", null));
  }

  private static Optional<String> optionalText(ObjectNode body, String name) {
    JsonNode node = body.get(name);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw ApiException.badRequest(
          name + ": expected a string but found " + node.getNodeType(), null);
    }
    String text = node.asText().strip();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  private static <E extends Enum<E>> E parse(E[] values, String text, String field) {
    for (E e : values) {
      if (e.name().equalsIgnoreCase(text)) {
        return e;
      }
    }
    throw ApiException.badRequest(
        field
            + ": expected one of "
            + Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList()
            + " but found '"
            + text
            + "'",
        null);
  }
}
