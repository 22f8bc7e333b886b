package dev.tollgate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.actions.report.JsonText;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.deploy.Approval;
import dev.tollgate.core.deploy.ChangeCheck;
import dev.tollgate.core.deploy.ChangePolicy;
import dev.tollgate.core.deploy.ChangeRequest;
import dev.tollgate.core.deploy.ChangeStatus;
import dev.tollgate.core.deploy.ChangeType;
import dev.tollgate.core.deploy.DeploySpec;
import dev.tollgate.core.deploy.Promotion;
import dev.tollgate.core.deploy.PromotionStatus;
import dev.tollgate.core.deploy.Risk;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tollgate changes …} and {@code tollgate promotions …}. */
final class ChangeCommands {
  private ChangeCommands() {}

  static ObjectNode json(ChangeRequest c, ChangeCheck.Tally tally, int needed) {
    ObjectNode o = JsonText.mapper().createObjectNode();
    o.put("id", c.id())
        .put("environment", c.environment())
        .put("type", c.type().label())
        .put("risk", c.risk().label())
        .put("commit", c.commitSha())
        .put("author", c.author())
        .put("reason", c.reason().orElse(null))
        .put("status", c.status().label());
    ArrayNode approvals = o.putArray("approvals");
    c.approvals()
        .forEach(
            a ->
                approvals
                    .addObject()
                    .put("actor", a.actor())
                    .put("commit", a.commitSha())
                    .put("at", a.at().toString()));
    o.put("approvalsNeeded", needed);
    ArrayNode counted = o.putArray("counted");
    tally.counted().forEach(counted::add);
    ArrayNode ignored = o.putArray("ignored");
    tally
        .ignored()
        .forEach(i -> ignored.addObject().put("actor", i.approval().actor()).put("why", i.why()));
    return o;
  }

  static String text(ChangeRequest c, ChangeCheck.Tally tally, int needed) {
    StringBuilder sb = new StringBuilder();
    sb.append("change ")
        .append(c.id())
        .append("  ")
        .append(c.status().label())
        .append("  ")
        .append(c.type().label())
        .append(" (risk ")
        .append(c.risk().label())
        .append(")  ")
        .append(c.environment())
        .append(" @ ")
        .append(c.commitSha())
        .append("  by ")
        .append(c.author());
    c.reason().ifPresent(r -> sb.append("\n  reason: ").append(r));
    sb.append("\n  approvals: ")
        .append(tally.counted().size())
        .append(" of ")
        .append(needed)
        .append(tally.counted().isEmpty() ? "" : " (" + String.join(", ", tally.counted()) + ")");
    tally
        .ignored()
        .forEach(
            i ->
                sb.append("\n  not counted: ")
                    .append(i.approval().actor())
                    .append(": ")
                    .append(i.why()));
    return sb.toString();
  }

  static DeploySpec spec(DatabaseOptions db, String env) {
    return db.deploySpec(env);
  }

  static ChangeRequest find(LockCommands.Session s, String id) {
    return s.store()
        .change(id)
        .orElseThrow(() -> TollgateException.badInput("change request " + id + ": no such id"));
  }

  @Command(
      name = "changes",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description =
          "Change requests: draft → approved → in-progress → completed (or rejected, cancelled).",
      subcommands = {Create.class, Approve.class, Reject.class, Show.class})
  static final class Changes {}

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Open a change request for deploying a commit to ENV.",
        "Exit codes: 0, 2, 3."
      })
  static final class Create implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
    String env;

    @Option(
        names = "--type",
        paramLabel = "TYPE",
        defaultValue = "normal",
        description = "standard, normal or emergency (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(
        names = "--risk",
        paramLabel = "RISK",
        defaultValue = "medium",
        description = "low, medium or high (default: ${DEFAULT-VALUE}).")
    String risk;

    @Option(
        names = "--ref",
        paramLabel = "REF",
        description = "The commit to approve (default: HEAD of --dir).")
    String ref;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (required for emergency).")
    String reason;

    @Option(
        names = "--actor",
        paramLabel = "NAME",
        description = "The author (default: $GITHUB_ACTOR or the user).")
    String actor;

    @Override
    public Integer call() {
      LockCommands.checkEnvironment(db, env);
      ChangeType t = parse(ChangeType.values(), type, "--type");
      Risk r = parse(Risk.values(), risk, "--risk");
      if (t == ChangeType.EMERGENCY && (reason == null || reason.isBlank())) {
        throw db.usage("--type emergency needs --reason");
      }
      boolean json = db.json();
      DeploySpec spec = spec(db, env);
      String commit = DeployCommands.resolve(db.root(), ref).commit();
      try (LockCommands.Session s = LockCommands.Session.open(db)) {
        ChangeRequest c =
            s.store()
                .createChange(
                    env, t, r, commit, LockCommands.actor(actor), Optional.ofNullable(reason));
        ChangePolicy.TypePolicy policy = spec.change().policy(t);
        ChangeCheck.Tally tally = ChangeCheck.tally(c, policy, commit);
        db.out()
            .println(
                json
                    ? JsonText.pretty(json(c, tally, policy.approvals()))
                    : text(c, tally, policy.approvals()));
      }
      return ExitCode.OK;
    }

    private <E extends Enum<E>> E parse(E[] values, String text, String option) {
      for (E e : values) {
        if (e.name().equalsIgnoreCase(text)) {
          return e;
        }
      }
      throw db.usage(
          option
              + ": expected one of "
              + java.util.Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList()
              + ", found '"
              + text
              + "'");
    }
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Approve a change request for its commit. Self-approval and a second vote by the same person do not count;"
            + " once enough approvals count, the request becomes approved.",
        "Exit codes: 0 vote counted, 1 not counted (self-approval, repeated vote, not an approver), 2, 3."
      })
  static final class Approve implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ID", description = "The change request.")
    String id;

    @Option(
        names = "--actor",
        paramLabel = "NAME",
        description = "Who approves (default: $GITHUB_ACTOR or the user).")
    String actor;

    @Override
    public Integer call() {
      boolean json = db.json();
      String who = LockCommands.actor(actor);
      try (LockCommands.Session s = LockCommands.Session.open(db)) {
        ChangeRequest c = find(s, id);
        DeploySpec spec = spec(db, c.environment());
        ChangePolicy.TypePolicy policy = spec.change().policy(c.type());
        Approval vote = new Approval(who, c.commitSha(), Instant.now());
        c.withApproval(vote); // refuses a vote on a request that is no longer draft or approved
        boolean recorded = s.store().addApproval(id, vote);
        ChangeRequest now = find(s, id);
        ChangeCheck.Tally tally = ChangeCheck.tally(now, policy, now.commitSha());
        boolean counted =
            recorded && tally.counted().stream().anyMatch(a -> a.equalsIgnoreCase(who));
        if (now.status() == ChangeStatus.DRAFT && tally.counted().size() >= policy.approvals()) {
          now.transitionTo(ChangeStatus.APPROVED);
          s.store().setChangeStatus(id, ChangeStatus.DRAFT, ChangeStatus.APPROVED);
          now = find(s, id);
        }
        db.out()
            .println(
                json
                    ? JsonText.pretty(json(now, tally, policy.approvals()))
                    : text(now, tally, policy.approvals())
                        + (recorded
                            ? ""
                            : "\n  " + who + " already voted on this commit: one vote per person"));
        return counted ? ExitCode.OK : ExitCode.FINDINGS;
      }
    }
  }

  @Command(
      name = "reject",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Reject a draft or approved change request.",
        "Exit codes: 0, 2 (illegal transition), 3."
      })
  static final class Reject implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ID", description = "The change request.")
    String id;

    @Override
    public Integer call() {
      db.json();
      try (LockCommands.Session s = LockCommands.Session.open(db)) {
        ChangeRequest c = find(s, id);
        c.transitionTo(ChangeStatus.REJECTED);
        if (!s.store().setChangeStatus(id, c.status(), ChangeStatus.REJECTED)) {
          throw new TollgateException(
              TollgateException.Kind.COULD_NOT_FINISH,
              "change request " + id + " changed meanwhile; try again");
        }
        db.out().println("change " + id + " rejected");
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Show a change request with its approvals and what counts.",
        "Exit codes: 0, 2, 3."
      })
  static final class Show implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ID", description = "The change request.")
    String id;

    @Override
    public Integer call() {
      boolean json = db.json();
      try (LockCommands.Session s = LockCommands.Session.open(db)) {
        ChangeRequest c = find(s, id);
        ChangePolicy.TypePolicy policy = spec(db, c.environment()).change().policy(c.type());
        ChangeCheck.Tally tally = ChangeCheck.tally(c, policy, c.commitSha());
        db.out()
            .println(
                json
                    ? JsonText.pretty(json(c, tally, policy.approvals()))
                    : text(c, tally, policy.approvals()));
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "promotions",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Promotions: pending → approved → executing → deployed | rolled_back.",
      subcommands = {PromoCreate.class, PromoList.class, PromoApprove.class, PromoDeploy.class})
  static final class Promotions {}

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {"Propose promoting a ref to ENV.", "Exit codes: 0, 2, 3."})
  static final class PromoCreate implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
    String env;

    @Option(
        names = "--ref",
        paramLabel = "REF",
        description = "What to promote (default: HEAD of --dir).")
    String ref;

    @Override
    public Integer call() {
      LockCommands.checkEnvironment(db, env);
      db.json();
      DeployCommands.Target t = DeployCommands.resolve(db.root(), ref);
      try (LockCommands.Session s = LockCommands.Session.open(db)) {
        Promotion p = s.store().createPromotion(env, t.version(), t.commit());
        db.out()
            .println(
                "promotion "
                    + p.id()
                    + "  "
                    + p.status().label()
                    + "  "
                    + p.releaseRef()
                    + " → "
                    + env);
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {"List promotions, newest first.", "Exit codes: 0, 2, 3."})
  static final class PromoList implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "ENV",
        description = "Only this environment.")
    String env;

    @Override
    public Integer call() {
      boolean json = db.json();
      try (LockCommands.Session s = LockCommands.Session.open(db)) {
        List<Promotion> list = s.store().promotions(env, 100);
        if (json) {
          ArrayNode a = JsonText.mapper().createArrayNode();
          for (Promotion p : list) {
            ObjectNode o =
                a.addObject()
                    .put("id", p.id())
                    .put("environment", p.environment())
                    .put("releaseRef", p.releaseRef())
                    .put("status", p.status().label());
            s.store()
                .promotionRelease(p.id())
                .ifPresent(
                    r -> {
                      o.put("releaseId", r.id()).put("backupRef", r.backupRef());
                      if (r.runId() != null) {
                        o.put("logRunId", r.runId());
                      }
                    });
          }
          db.out().println(JsonText.pretty(a));
        } else if (list.isEmpty()) {
          db.out().println("no promotions");
        } else {
          for (Promotion p : list) {
            String release =
                s.store()
                    .promotionRelease(p.id())
                    .map(
                        r ->
                            "  release "
                                + r.id()
                                + (r.backupRef() == null ? "" : ", backup " + r.backupRef())
                                + (r.runId() == null
                                    ? ""
                                    : ", log: tollgate runs logs " + r.runId()))
                    .orElse("");
            db.out()
                .println(
                    "promotion "
                        + p.id()
                        + "  "
                        + p.status().label()
                        + "  "
                        + p.releaseRef()
                        + " → "
                        + p.environment()
                        + release);
          }
        }
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = {"Approve a pending promotion.", "Exit codes: 0, 2 (illegal transition), 3."})
  static final class PromoApprove implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ID", description = "The promotion.")
    String id;

    @Option(names = "--actor", paramLabel = "NAME", description = "Who approves.")
    String actor;

    @Override
    public Integer call() {
      db.json();
      try (LockCommands.Session s = LockCommands.Session.open(db)) {
        Promotion p =
            s.store()
                .promotion(id)
                .orElseThrow(() -> TollgateException.badInput("promotion " + id + ": no such id"));
        p.transitionTo(PromotionStatus.APPROVED);
        s.store()
            .setPromotionStatus(
                id, p.status(), PromotionStatus.APPROVED, LockCommands.actor(actor));
        db.out().println("promotion " + id + " approved");
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "deploy",
      mixinStandardHelpOptions = true,
      description = {
        "Execute an approved promotion: a governed deploy of its commit; the promotion ends deployed or rolled_back.",
        "Exit codes: as `tollgate deploy`."
      })
  static final class PromoDeploy implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ID", description = "The promotion.")
    String id;

    @Option(names = "--change", paramLabel = "ID", description = "The approved change request.")
    String change;

    @Option(names = "--actor", paramLabel = "NAME", description = "Who deploys.")
    String actor;

    @Override
    public Integer call() throws Exception {
      db.json();
      Promotion p;
      String commit;
      try (LockCommands.Session s = LockCommands.Session.open(db)) {
        p =
            s.store()
                .promotion(id)
                .orElseThrow(() -> TollgateException.badInput("promotion " + id + ": no such id"));
        p.transitionTo(PromotionStatus.EXECUTING);
        commit = s.store().promotionCommit(id).orElseThrow();
        s.store()
            .setPromotionStatus(
                id, PromotionStatus.APPROVED, PromotionStatus.EXECUTING, LockCommands.actor(actor));
      }
      long before = latestRelease(p.environment());
      DeployCommands.Deploy deploy = new DeployCommands.Deploy();
      deploy.db = db;
      deploy.env = p.environment();
      deploy.ref = commit;
      deploy.change = change;
      deploy.actor = actor;
      deploy.waitFor = "0s";
      int code = deploy.call();
      if (!releaseAfter(before, p.environment())) {
        // Blocked by a gate: nothing ran; the promotion stays approved for another try.
        try (LockCommands.Session s = LockCommands.Session.open(db)) {
          s.store()
              .setPromotionStatus(
                  id,
                  PromotionStatus.EXECUTING,
                  PromotionStatus.APPROVED,
                  LockCommands.actor(actor));
        }
        return code;
      }
      try (LockCommands.Session s = LockCommands.Session.open(db)) {
        s.store().releases(p.environment(), 1).stream()
            .filter(r -> r.id() > before)
            .findFirst()
            .ifPresent(r -> s.store().linkPromotion(id, r.id()));
        s.store()
            .setPromotionStatus(
                id,
                PromotionStatus.EXECUTING,
                code == 0 ? PromotionStatus.DEPLOYED : PromotionStatus.ROLLED_BACK,
                LockCommands.actor(actor));
      }
      return code;
    }

    /** Whether the deploy got as far as a release (a blocked deploy records none). */
    private boolean releaseAfter(long before, String env) {
      try (LockCommands.Session s = LockCommands.Session.open(db)) {
        return s.store().releases(env, 1).stream().anyMatch(r -> r.id() > before);
      }
    }

    private long latestRelease(String env) {
      try (LockCommands.Session s = LockCommands.Session.open(db)) {
        return s.store().releases(env, 1).stream().mapToLong(r -> r.id()).max().orElse(0);
      }
    }
  }
}
