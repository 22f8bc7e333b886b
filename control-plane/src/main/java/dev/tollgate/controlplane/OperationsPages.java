package dev.tollgate.controlplane;

import dev.tollgate.controlplane.internal.pages.ActionCard;
import dev.tollgate.controlplane.internal.pages.EnvironmentPage;
import dev.tollgate.controlplane.internal.pages.Field;
import dev.tollgate.controlplane.internal.pages.OperationsPage;
import dev.tollgate.controlplane.internal.pages.PromotionPage;
import dev.tollgate.controlplane.internal.pages.RunPage;
import dev.tollgate.core.deploy.ChangeCheck;
import dev.tollgate.core.deploy.ChangeRequest;
import dev.tollgate.core.deploy.ChangeStatus;
import dev.tollgate.core.deploy.ChangeType;
import dev.tollgate.core.deploy.Promotion;
import dev.tollgate.core.deploy.PromotionStatus;
import dev.tollgate.core.deploy.Risk;
import dev.tollgate.core.deploy.WindowDecision;
import dev.tollgate.core.deploy.service.ChangeReview;
import dev.tollgate.core.deploy.service.DeployServices;
import dev.tollgate.core.deploy.service.EnvironmentStatus;
import dev.tollgate.core.deploy.service.NewChange;
import dev.tollgate.core.deploy.store.AuditEntry;
import dev.tollgate.core.deploy.store.LockHolder;
import dev.tollgate.core.deploy.store.PromotionEntry;
import dev.tollgate.core.deploy.store.Release;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.core.runs.RunEvent;
import dev.tollgate.core.runs.RunQueue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The console's Operations pages: environments with their locks, windows and releases (hold and
 * unlock with a reason), promotions with Approve and Deploy now (the promotion's page then follows
 * the deploy live to deployed, rolled back or failed), and change requests with their approval
 * chain. Each form calls the same service as the API's {@code /api/deploys/} endpoints, as the
 * signed-in user; Deploy now, hold and unlock need the {@code deploy} scope, checked here whatever
 * the page showed.
 */
final class OperationsPages {
  private static final int LIST = 20;

  private final ControlPlane plane;
  private final Console console;

  OperationsPages(ControlPlane plane, Console console) {
    this.plane = plane;
    this.console = console;
  }

  private DeployServices services() {
    return plane
        .deploys()
        .orElseThrow(() -> ApiException.notFound("This console serves no deploys."));
  }

  /** {@code GET /operations…}. */
  void get(Console.Page p, List<String> s) throws IOException {
    if (s.isEmpty()) {
      overview(p);
    } else if (s.size() == 2 && s.get(0).equals("environments")) {
      environment(p, s.get(1));
    } else if (s.size() == 2 && s.get(0).equals("promotions")) {
      promotion(p, s.get(1), Console.notice(p).map(OperationsPages::doneText).orElse(""), null);
    } else {
      throw ApiException.notFound("There is no page at /operations/" + String.join("/", s) + ".");
    }
  }

  /** {@code POST /operations…}: the forms. */
  void post(Console.Page p, List<String> s) throws IOException {
    DeployServices d = services();
    String actor = p.identity().name();
    try {
      if (s.size() == 3 && s.get(0).equals("environments") && s.get(2).equals("hold")) {
        needDeployScope(p);
        String env = environment(d, s.get(1));
        String reason = reason(p, true);
        DeploysApi.hold(d, env, actor, reason);
        Console.redirect(p, "/operations/environments/" + Console.encode(env));
      } else if (s.size() == 3 && s.get(0).equals("environments") && s.get(2).equals("unlock")) {
        needDeployScope(p);
        String env = environment(d, s.get(1));
        DeploysApi.unlock(d, env, actor, false, reason(p, false));
        Console.redirect(p, "/operations/environments/" + Console.encode(env));
      } else if (s.size() == 1 && s.get(0).equals("promotions")) {
        String env = environment(d, param(p, "environment").orElse(""));
        Promotion created = d.promotions().create(env, param(p, "ref"), actor);
        Console.redirect(p, "/operations/promotions/" + created.id() + "?done=proposed");
      } else if (s.size() == 3 && s.get(0).equals("promotions") && s.get(2).equals("approve")) {
        String id = DeploysApi.entry(d, s.get(1)).promotion().id();
        d.promotions().approve(id, actor);
        Console.redirect(p, "/operations/promotions/" + id + "?done=approved");
      } else if (s.size() == 3 && s.get(0).equals("promotions") && s.get(2).equals("deploy")) {
        needDeployScope(p);
        String id = DeploysApi.entry(d, s.get(1)).promotion().id();
        Deployments.Start start =
            plane.deployments().deployPromotion(d, id, actor, param(p, "change"));
        if (start instanceof Deployments.Refused refused) {
          promotion(p, id, "", refused);
          return;
        }
        Console.redirect(p, "/operations/promotions/" + id + "?done=deploy-started");
      } else if (s.size() == 1 && s.get(0).equals("changes")) {
        createChange(p, d);
      } else if (s.size() == 3 && s.get(0).equals("changes") && s.get(2).equals("approve")) {
        String id = change(d, s.get(1));
        boolean counted = d.changes().approve(id, actor).counted();
        Console.redirect(p, "/operations?done=" + (counted ? "vote-counted" : "vote-not-counted"));
      } else if (s.size() == 3 && s.get(0).equals("changes") && s.get(2).equals("reject")) {
        d.changes().reject(change(d, s.get(1)));
        Console.redirect(p, "/operations?done=change-rejected");
      } else {
        throw ApiException.notFound("There is no form at /operations/" + String.join("/", s) + ".");
      }
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage(), "Nothing was changed.");
    }
  }

  private void createChange(Console.Page p, DeployServices d) {
    String env = environment(d, param(p, "environment").orElse(""));
    ChangeType type = choice(ChangeType.values(), param(p, "type").orElse("normal"), "type");
    Risk risk = choice(Risk.values(), param(p, "risk").orElse("medium"), "risk");
    Optional<String> reason = param(p, "reason");
    if (reason.isPresent() && reason.get().length() > DeploysApi.MAX_REASON) {
      throw ApiException.badRequest("The reason may have at most 500 characters.", "");
    }
    if (type == ChangeType.EMERGENCY && reason.isEmpty()) {
      throw ApiException.badRequest("An emergency change needs a reason.", "Give the reason.");
    }
    ChangeReview created =
        d.changes()
            .create(
                NewChange.builder(env, p.identity().name())
                    .type(type)
                    .risk(risk)
                    .ref(param(p, "ref").orElse(null))
                    .reason(reason.orElse(null))
                    .build());
    Console.redirect(p, "/operations?done=change-" + created.request().id() + "-opened");
  }

  private void overview(Console.Page p) throws IOException {
    DeployServices d = services();
    String base = Console.base(p.req());
    List<OperationsPage.EnvironmentCard> cards = new ArrayList<>();
    for (EnvironmentStatus status : d.environments().all()) {
      cards.add(card(base, status));
    }
    List<OperationsPage.PromotionRow> promotions = new ArrayList<>();
    for (PromotionEntry e : d.promotions().list(Optional.empty(), LIST)) {
      Promotion pr = e.promotion();
      String href = base + "/operations/promotions/" + Console.encode(pr.id());
      promotions.add(
          new OperationsPage.PromotionRow(
              pr.id(),
              href,
              pr.releaseRef() + " (" + abbreviate(e.commitSha()) + ") → " + pr.environment(),
              pr.status().label(),
              pr.status() == PromotionStatus.PENDING ? href + "/approve" : "",
              pr.status() == PromotionStatus.APPROVED && !plane.deployments().deploying(pr.id())
                  ? href + "/deploy"
                  : ""));
    }
    List<OperationsPage.ChangeRow> changes = new ArrayList<>();
    for (ChangeReview review : d.changes().list(Optional.empty(), LIST)) {
      changes.add(changeRow(base, review));
    }
    Console.page(
        p.resp(),
        200,
        new OperationsPage(
            console.frame(p, "Operations", "operations"),
            cards,
            promotions,
            changes,
            d.environments().names(),
            p.identity().has(Scope.DEPLOY),
            Console.notice(p).map(OperationsPages::doneText).orElse("")));
  }

  private static OperationsPage.ChangeRow changeRow(String base, ChangeReview review) {
    ChangeRequest c = review.request();
    ChangeCheck.Tally tally = review.tally();
    String href = base + "/operations/changes/" + Console.encode(c.id());
    boolean open = c.status() == ChangeStatus.DRAFT || c.status() == ChangeStatus.APPROVED;
    return new OperationsPage.ChangeRow(
        c.id(),
        c.type().label()
            + ", risk "
            + c.risk().label()
            + ", "
            + c.environment()
            + " @ "
            + abbreviate(c.commitSha())
            + " by "
            + c.author(),
        c.reason().orElse(""),
        c.status().label(),
        tally.counted().size()
            + " of "
            + review.approvalsNeeded()
            + (tally.counted().isEmpty() ? "" : " (" + String.join(", ", tally.counted()) + ")"),
        tally.ignored().stream().map(i -> i.approval().actor() + ": " + i.why()).toList(),
        open ? href + "/approve" : "",
        open ? href + "/reject" : "");
  }

  private void environment(Console.Page p, String name) throws IOException {
    DeployServices d = services();
    String env = environment(d, name);
    String base = Console.base(p.req());
    List<Field> releases = new ArrayList<>();
    for (Release r : d.locks().releases(env, LIST)) {
      releases.add(new Field("release " + r.id(), releaseLine(r)));
    }
    List<Field> audit = new ArrayList<>();
    for (AuditEntry a : d.environments().audit(env, LIST)) {
      audit.add(
          new Field(
              a.at().toString(),
              a.kind() + " by " + a.actor() + (a.message() == null ? "" : ": " + a.message())));
    }
    Console.page(
        p.resp(),
        200,
        new EnvironmentPage(
            console.frame(p, env, "operations"),
            card(base, d.environments().status(env)),
            releases,
            audit,
            p.identity().has(Scope.DEPLOY)));
  }

  private void promotion(Console.Page p, String rawId, String notice, Deployments.Refused refused)
      throws IOException {
    DeployServices d = services();
    PromotionEntry entry = DeploysApi.entry(d, rawId);
    Promotion pr = entry.promotion();
    String id = pr.id();
    String base = Console.base(p.req());
    String href = base + "/operations/promotions/" + Console.encode(id);
    boolean deploying = plane.deployments().deploying(id);
    List<Field> fields = new ArrayList<>();
    fields.add(new Field("Environment", pr.environment()));
    fields.add(new Field("Ref", pr.releaseRef()));
    fields.add(new Field("Commit", entry.commitSha()));
    Optional<Release> release = entry.release().or(() -> DeploysApi.executing(d, entry));
    fields.add(new Field("Release", release.map(OperationsPages::releaseLine).orElse("")));
    fields.add(
        new Field(
            "Backup", release.map(r -> r.backupRef() == null ? "" : r.backupRef()).orElse("")));
    fields.add(
        new Field(
            "Last attempt",
            plane
                .deployments()
                .lastAttempt(id)
                .map(a -> a.outcome() + " at " + a.at() + ": " + a.message())
                .orElse("")));
    List<ActionCard.GateRow> gates = List.of();
    List<Field> recovery = List.of();
    int status = 200;
    if (refused != null) {
      gates =
          refused.gates().stream()
              .map(
                  g ->
                      new ActionCard.GateRow(
                          g.gate(), g.status().name().toLowerCase(Locale.ROOT), g.reason()))
              .toList();
      GateResult first = refused.failing().get(0);
      Recovery r = first.recovery().orElse(null);
      if (r != null) {
        recovery =
            List.of(
                new Field("Cause", r.cause()),
                new Field("Policy", r.policyContext()),
                new Field("Next step", r.nextStep()),
                new Field("Safe retry", r.safeRetry()));
      }
      notice = "Deploy now is blocked (" + first.gate() + ": " + first.reason() + ").";
      status = refused.status();
    }
    List<RunPage.LogLine> log = new ArrayList<>();
    String stream = "";
    String runHref = "";
    Optional<Long> runId = release.map(Release::runId);
    if (runId.isPresent() && plane.runs().isPresent()) {
      RunQueue queue = plane.runs().get();
      for (RunEvent e : queue.events(runId.get(), 0, 5000)) {
        log.add(
            new RunPage.LogLine(
                e.seq(),
                Console.text(e.at()),
                e.stream() == null ? e.kind() : e.stream(),
                e.message() == null ? "" : e.message()));
      }
      stream = base + "/api/runs/" + runId.get() + "/stream";
      runHref = base + "/runs/" + runId.get();
    }
    boolean moving = deploying || pr.status() == PromotionStatus.EXECUTING;
    Console.page(
        p.resp(),
        status,
        new PromotionPage(
            console.frame(p, "Promotion " + id, "operations"),
            id,
            pr.status().label(),
            fields,
            pr.status() == PromotionStatus.PENDING ? href + "/approve" : "",
            pr.status() == PromotionStatus.APPROVED && !deploying ? href + "/deploy" : "",
            p.identity().has(Scope.DEPLOY),
            gates,
            recovery,
            notice,
            moving ? base + "/api/deploys/promotions/" + Console.encode(id) : "",
            log,
            stream,
            runHref));
  }

  private static OperationsPage.EnvironmentCard card(String base, EnvironmentStatus s) {
    String href = base + "/operations/environments/" + Console.encode(s.environment());
    Optional<LockHolder> lock = s.lock();
    String state = lock.isEmpty() ? "free" : lock.get().isHold() ? "held" : "deploying";
    String lockLine =
        lock.map(
                l ->
                    (l.isHold() ? "Held" : "Deploying")
                        + " by "
                        + l.author()
                        + " since "
                        + l.acquiredAt()
                        + ": "
                        + l.reason()
                        + (l.stale() ? " (stale: its holder stopped renewing it)" : ""))
            .orElse("");
    WindowDecision w = s.window();
    String next =
        s.nextWindowChange()
            .map(t -> (w.allowsStart() ? " Closes " : " Opens ") + t + ".")
            .orElse(w.allowsStart() ? " Nothing closes it." : " No opening ahead.");
    return new OperationsPage.EnvironmentCard(
        s.environment(),
        href,
        state,
        lockLine,
        w.allowsStart(),
        w.reason() + "." + next,
        s.latest().map(OperationsPages::releaseLine).orElse(""),
        s.latest().map(Release::status).orElse(""),
        href + "/hold",
        href + "/unlock");
  }

  private static String releaseLine(Release r) {
    return r.version()
        + " ("
        + abbreviate(r.commitSha())
        + ") "
        + r.status()
        + " by "
        + r.actor()
        + " at "
        + r.startedAt()
        + (r.backupRef() == null ? "" : ", backup " + r.backupRef())
        + (r.message() == null ? "" : " — " + r.message());
  }

  private static String abbreviate(String sha) {
    return sha.substring(0, Math.min(12, sha.length()));
  }

  private static String doneText(String done) {
    return switch (done) {
      case "deploy-started" -> "Deploy started. This page follows it.";
      case "approved" -> "Approved.";
      case "proposed" -> "Proposed; it waits for approval.";
      case "vote-counted" -> "Your approval counts.";
      case "vote-not-counted" ->
          "Your vote was kept but does not count (your own change, a repeated vote, or not an"
              + " approver).";
      case "change-rejected" -> "Change request rejected.";
      default -> "Done: " + done.replace('-', ' ') + ".";
    };
  }

  private static void needDeployScope(Console.Page p) {
    if (!p.identity().has(Scope.DEPLOY)) {
      throw ApiException.of(
          403,
          "api.forbidden",
          p.identity().name() + " lacks the scope 'deploy' this needs.",
          "Ask for a token or role with the 'deploy' scope.");
    }
  }

  private static String environment(DeployServices d, String name) {
    DeploysApi.known(d, name);
    return name;
  }

  private static String change(DeployServices d, String id) {
    if (d.changes().find(id).isEmpty()) {
      throw ApiException.notFound("There is no change request " + id + ".");
    }
    return id;
  }

  private static Optional<String> param(Console.Page p, String name) {
    return Optional.ofNullable(p.req().getParameter(name))
        .map(String::strip)
        .filter(v -> !v.isEmpty());
  }

  private static String reason(Console.Page p, boolean required) {
    Optional<String> reason = param(p, "reason");
    if (required && reason.isEmpty()) {
      throw ApiException.badRequest(
          "A hold needs a reason: everyone it blocks reads it.", "Give the reason.");
    }
    if (reason.isPresent() && reason.get().length() > DeploysApi.MAX_REASON) {
      throw ApiException.badRequest("The reason may have at most 500 characters.", "");
    }
    return reason.orElse("");
  }

  private static <E extends Enum<E>> E choice(E[] values, String text, String field) {
    for (E e : values) {
      if (e.name().equalsIgnoreCase(text)) {
        return e;
      }
    }
    throw ApiException.badRequest("Unknown " + field + " '" + text + "'.", "");
  }
}
