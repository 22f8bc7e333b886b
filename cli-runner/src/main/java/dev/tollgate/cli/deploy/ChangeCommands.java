package dev.tollgate.cli.deploy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.actions.report.JsonText;
import dev.tollgate.cli.common.DatabaseOptions;
import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.Session;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.core.deploy.ChangeCheck;
import dev.tollgate.core.deploy.ChangeRequest;
import dev.tollgate.core.deploy.ChangeType;
import dev.tollgate.core.deploy.Promotion;
import dev.tollgate.core.deploy.Risk;
import dev.tollgate.core.deploy.service.ApprovalOutcome;
import dev.tollgate.core.deploy.service.ChangeReview;
import dev.tollgate.core.deploy.service.ChangeService;
import dev.tollgate.core.deploy.service.DeployInputException;
import dev.tollgate.core.deploy.service.DeployJson;
import dev.tollgate.core.deploy.service.Deployment;
import dev.tollgate.core.deploy.service.NewChange;
import dev.tollgate.core.deploy.service.PromotionDeploy;
import dev.tollgate.core.deploy.service.PromotionService;
import dev.tollgate.core.deploy.store.PromotionEntry;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tollgate changes …} and {@code tollgate promotions …}. */
public final class ChangeCommands {
  private ChangeCommands() {}

  static ObjectNode json(ChangeReview review) {
    return DeployJson.change(review);
  }

  static String text(ChangeReview review) {
    ChangeRequest c = review.request();
    ChangeCheck.Tally tally = review.tally();
    int needed = review.approvalsNeeded();
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

  /** The change service of the project under {@code --dir}. */
  static ChangeService changes(DatabaseOptions db, Session backend) {
    return new ChangeService(LockCommands.project(db), backend, db.clock());
  }

  /** The promotion service of the project under {@code --dir}. */
  static PromotionService promotions(DatabaseOptions db, Session backend) {
    return new PromotionService(
        LockCommands.project(db), backend, LockCommands.deploys(db, backend));
  }

  @Command(
      name = "changes",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description =
          "Change requests: draft → approved → in-progress → completed (or rejected, cancelled).",
      subcommands = {Create.class, Approve.class, Reject.class, Show.class})
  public static final class Changes {}

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Open a change request for deploying a commit to ENV.",
        "Exit codes: 0, 2, 3."
      })
  public static final class Create implements Callable<Integer> {
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
      NewChange change =
          NewChange.builder(env, LockCommands.actor(db, actor))
              .type(t)
              .risk(r)
              .ref(ref)
              .reason(reason)
              .build();
      try (Session backend = new Session(db)) {
        ChangeReview review;
        try {
          review = changes(db, backend).create(change);
        } catch (DeployInputException e) {
          throw LockCommands.worded(db, e);
        }
        db.out().println(json ? JsonText.pretty(json(review)) : text(review));
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
  public static final class Approve implements Callable<Integer> {
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
      String who = LockCommands.actor(db, actor);
      try (Session backend = new Session(db)) {
        ApprovalOutcome outcome = changes(db, backend).approve(id, who);
        db.out()
            .println(
                json
                    ? JsonText.pretty(json(outcome.review()))
                    : text(outcome.review())
                        + (outcome.recorded()
                            ? ""
                            : "\n  " + who + " already voted on this commit: one vote per person"));
        return outcome.counted() ? ExitCode.OK : ExitCode.FINDINGS;
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
  public static final class Reject implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ID", description = "The change request.")
    String id;

    @Override
    public Integer call() {
      db.json();
      try (Session backend = new Session(db)) {
        changes(db, backend).reject(id);
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
  public static final class Show implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ID", description = "The change request.")
    String id;

    @Override
    public Integer call() {
      boolean json = db.json();
      try (Session backend = new Session(db)) {
        ChangeReview review = changes(db, backend).show(id);
        db.out().println(json ? JsonText.pretty(json(review)) : text(review));
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "promotions",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Promotions: pending → approved → executing → deployed | rolled_back | failed.",
      subcommands = {PromoCreate.class, PromoList.class, PromoApprove.class, PromoDeploy.class})
  public static final class Promotions {}

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {"Propose promoting a ref to ENV.", "Exit codes: 0, 2, 3."})
  public static final class PromoCreate implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
    String env;

    @Option(
        names = "--ref",
        paramLabel = "REF",
        description = "What to promote (default: HEAD of --dir).")
    String ref;

    @Option(
        names = "--actor",
        paramLabel = "NAME",
        description =
            "Who proposes it, written to the audit trail (default: $GITHUB_ACTOR or the user).")
    String actor;

    @Override
    public Integer call() {
      LockCommands.checkEnvironment(db, env);
      db.json();
      String proposer = LockCommands.actor(db, actor);
      try (Session backend = new Session(db)) {
        Promotion p;
        try {
          p = promotions(db, backend).create(env, Optional.ofNullable(ref), proposer);
        } catch (DeployInputException e) {
          throw LockCommands.worded(db, e);
        }
        db.out()
            .println(
                "promotion "
                    + p.id()
                    + "  "
                    + p.status().label()
                    + "  "
                    + p.releaseRef()
                    + " → "
                    + env
                    + "  proposed by "
                    + proposer);
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {"List promotions, newest first.", "Exit codes: 0, 2, 3."})
  public static final class PromoList implements Callable<Integer> {
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
      try (Session backend = new Session(db)) {
        List<PromotionEntry> list = promotions(db, backend).list(Optional.ofNullable(env), 100);
        if (json) {
          ArrayNode a = JsonText.mapper().createArrayNode();
          list.forEach(e -> a.add(DeployJson.promotion(e)));
          db.out().println(JsonText.pretty(a));
        } else if (list.isEmpty()) {
          db.out().println("no promotions");
        } else {
          for (PromotionEntry e : list) {
            Promotion p = e.promotion();
            String release =
                e.release()
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
  public static final class PromoApprove implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ID", description = "The promotion.")
    String id;

    @Option(names = "--actor", paramLabel = "NAME", description = "Who approves.")
    String actor;

    @Override
    public Integer call() {
      db.json();
      try (Session backend = new Session(db)) {
        promotions(db, backend).approve(id, LockCommands.actor(db, actor));
        db.out().println("promotion " + id + " approved");
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "deploy",
      mixinStandardHelpOptions = true,
      description = {
        "Execute an approved promotion: a governed deploy of its commit; the promotion ends deployed, rolled_back or failed.",
        "Exit codes: as `tollgate deploy`."
      })
  public static final class PromoDeploy implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ID", description = "The promotion.")
    String id;

    @Option(names = "--change", paramLabel = "ID", description = "The approved change request.")
    String change;

    @Option(names = "--actor", paramLabel = "NAME", description = "Who deploys.")
    String actor;

    @Override
    public Integer call() {
      boolean json = db.json();
      try (Session backend = new Session(db)) {
        Deployment deployment;
        try {
          deployment =
              promotions(db, backend)
                  .prepareDeploy(
                      new PromotionDeploy(
                          id, LockCommands.actor(db, actor), Optional.ofNullable(change)),
                      DeployCommands.progress(db, json));
        } catch (DeployInputException e) {
          throw LockCommands.worded(db, e);
        }
        return DeployCommands.execute(db, deployment, json, false);
      }
    }
  }
}
