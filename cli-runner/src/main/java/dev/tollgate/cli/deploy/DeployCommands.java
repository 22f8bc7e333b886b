package dev.tollgate.cli.deploy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.actions.report.JsonText;
import dev.tollgate.cli.common.DatabaseOptions;
import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.GithubSetup;
import dev.tollgate.cli.common.Seams;
import dev.tollgate.cli.common.Session;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.core.deploy.engine.DeployRequest;
import dev.tollgate.core.deploy.engine.DeployResult;
import dev.tollgate.core.deploy.service.DeployInputException;
import dev.tollgate.core.deploy.service.DeployOrder;
import dev.tollgate.core.deploy.service.Deployment;
import dev.tollgate.core.deploy.service.RollbackOrder;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.runs.exec.Secrets;
import dev.tollgate.core.runs.template.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tollgate deploy} and {@code tollgate rollback}. */
public final class DeployCommands {
  private DeployCommands() {}

  /**
   * Runs {@code deployment} (a SIGTERM stops it and lets its rollback finish first), with a GitHub
   * deployment record when {@code github}, and prints its result.
   *
   * @return the deploy's exit code
   */
  static int execute(DatabaseOptions db, Deployment deployment, boolean json, boolean github) {
    CountDownLatch done = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              deployment.cancel("SIGTERM");
              try {
                done.await(10, TimeUnit.MINUTES);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "tollgate-deploy-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    GithubDeployment gh =
        github && !deployment.request().dryRun()
            ? GithubDeployment.start(deployment, db.out(), db.seams())
            : GithubDeployment.NONE;
    DeployResult result;
    try {
      result = deployment.run();
      gh.finish(result, deployment.secrets());
    } finally {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it waited for us.
      }
    }
    print(db, result, json);
    return result.outcome().exitCode();
  }

  /** The lines a deploy says as it goes, printed at once unless the output is JSON. */
  static Consumer<String> progress(DatabaseOptions db, boolean json) {
    PrintWriter out = db.out();
    return line -> {
      if (!json) {
        out.println(line);
        out.flush();
      }
    };
  }

  static void print(DatabaseOptions db, DeployResult result, boolean json) {
    PrintWriter out = db.out();
    if (json) {
      ObjectNode o = JsonText.mapper().createObjectNode();
      o.put("outcome", result.outcome().name().toLowerCase(java.util.Locale.ROOT));
      o.put("exitCode", result.outcome().exitCode());
      o.put("message", result.message());
      ArrayNode gates = o.putArray("gates");
      for (GateResult g : result.gates()) {
        ObjectNode n =
            gates
                .addObject()
                .put("gate", g.gate())
                .put(
                    "status",
                    g instanceof GateResult.Pass
                        ? "pass"
                        : g instanceof GateResult.Blocked ? "blocked" : "error")
                .put("reason", g.reason());
        if (g instanceof GateResult.Blocked b) {
          n.put("cause", b.guidance().cause())
              .put("policyContext", b.guidance().policyContext())
              .put("nextStep", b.guidance().nextStep())
              .put("safeRetry", b.guidance().safeRetry());
        }
      }
      ArrayNode plan = o.putArray("plan");
      result.plan().forEach(plan::add);
      result.release().ifPresent(r -> o.set("release", DeployViews.json(r)));
      out.println(JsonText.pretty(o));
      return;
    }
    out.println("Gates:");
    for (GateResult g : result.gates()) {
      boolean pass = g instanceof GateResult.Pass;
      out.println("  " + (pass ? "PASS   " : "BLOCKED") + " " + g.gate() + ": " + g.reason());
      if (g instanceof GateResult.Blocked b) {
        out.println("          cause:      " + b.guidance().cause());
        out.println("          policy:     " + b.guidance().policyContext());
        out.println("          next step:  " + b.guidance().nextStep());
        out.println("          safe retry: " + b.guidance().safeRetry());
      }
    }
    if (result.outcome() == DeployResult.Outcome.WOULD_PROCEED
        || result.outcome() == DeployResult.Outcome.BLOCKED) {
      out.println("Plan:");
      int i = 1;
      for (String step : result.plan()) {
        out.println("  " + (i++) + ". " + step);
      }
    }
    result.release().ifPresent(r -> out.println(DeployViews.line(r)));
    out.println(result.message());
  }

  @Command(
      name = "deploy",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      sortOptions = false,
      description = {
        "Deploy a commit to ENV under .tollgate/deploy/ENV.yml: gates (lock, window, change"
            + " request, backup), lock, backup, pre-deploy smoke, deploy, post-deploy smoke, release"
            + " record; a failed check rolls back by itself and leaves ENV held.",
        "Exit codes: 0 deployed (or, with --dry-run, would proceed), 1 blocked or rolled back,"
            + " 2 bad input, 3 failed (including a failed rollback)."
      })
  public static final class Deploy implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
    String env;

    @Option(
        names = "--ref",
        paramLabel = "REF",
        description = "Branch, tag or commit to ship (default: HEAD of --dir).")
    String ref;

    @Option(names = "--change", paramLabel = "ID", description = "The approved change request.")
    String change;

    @Option(
        names = "--emergency",
        description = "A declared emergency: bypasses windows (audited), never the lock.")
    boolean emergency;

    @Option(
        names = "--reason",
        paramLabel = "TEXT",
        description = "Why (required with --emergency).")
    String reason;

    @Option(
        names = "--actor",
        paramLabel = "NAME",
        description = "Who deploys (default: $GITHUB_ACTOR or the user).")
    String actor;

    @Option(
        names = "--dry-run",
        description = "Evaluate every gate and print the plan; change nothing.")
    boolean dryRun;

    @Option(
        names = "--wait",
        paramLabel = "DURATION",
        defaultValue = "0s",
        description = "Wait this long for a held lock (default: refuse at once).")
    String waitFor;

    @Option(
        names = "--github",
        description =
            "In GitHub Actions: record a GitHub deployment with its statuses (in_progress,"
                + " success, failure) and write the job summary.")
    boolean github;

    @Override
    public Integer call() throws InterruptedException {
      LockCommands.checkEnvironment(db, env);
      if (emergency && (reason == null || reason.isBlank())) {
        throw db.usage("--emergency needs --reason: an emergency is audited with its reason");
      }
      if (!emergency && reason != null) {
        throw db.usage("--reason is only for --emergency deploys");
      }
      Duration wait;
      try {
        wait = Durations.parse(waitFor);
      } catch (RuntimeException e) {
        throw db.usage("--wait: expected a duration such as 30s or 10m, found '" + waitFor + "'");
      }
      boolean json = db.json();
      DeployOrder.Builder order =
          DeployOrder.builder(env, LockCommands.actor(db, actor))
              .ref(ref)
              .changeId(change)
              .dryRun(dryRun)
              .waitForLock(wait);
      if (emergency) {
        order.emergency(reason);
      }
      try (Session backend = new Session(db)) {
        Deployment deployment;
        try {
          deployment = LockCommands.deploys(db, backend).prepare(order.build(), progress(db, json));
        } catch (DeployInputException e) {
          throw LockCommands.worded(db, e);
        }
        return execute(db, deployment, json, github);
      }
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      sortOptions = false,
      description = {
        "Roll ENV back: run the spec's rollback step under the lock (with the target release's"
            + " version, commit and backup reference as TOLLGATE_PARAM_* variables), then the"
            + " post-deploy smoke checks, and record it as a release.",
        "Exit codes: 0 rolled back (or, with --dry-run, would proceed), 1 blocked, 2 bad input,"
            + " 3 the rollback failed."
      })
  public static final class Rollback implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
    String env;

    @Option(
        names = "--to",
        paramLabel = "RELEASE",
        description =
            "The release to go back to (default: the last deployed one before the latest).")
    Long to;

    @Option(
        names = "--actor",
        paramLabel = "NAME",
        description = "Who rolls back (default: $GITHUB_ACTOR or the user).")
    String actor;

    @Option(
        names = "--dry-run",
        description = "Evaluate the gates and print the plan; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
      LockCommands.checkEnvironment(db, env);
      boolean json = db.json();
      PrintWriter out = db.out();
      RollbackOrder order =
          RollbackOrder.builder(env, LockCommands.actor(db, actor)).to(to).dryRun(dryRun).build();
      try (Session backend = new Session(db)) {
        Deployment rollback;
        try {
          rollback =
              LockCommands.deploys(db, backend)
                  .prepareRollback(
                      order,
                      line -> {
                        if (!json) {
                          out.println(line);
                        }
                      });
        } catch (DeployInputException e) {
          throw LockCommands.worded(db, e);
        }
        CountDownLatch done = new CountDownLatch(1);
        Thread hook =
            new Thread(
                () -> {
                  // A rollback is never interrupted: wait for it to end before the JVM exits.
                  try {
                    done.await(10, TimeUnit.MINUTES);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "tollgate-rollback-wait");
        Runtime.getRuntime().addShutdownHook(hook);
        DeployResult result;
        try {
          result = rollback.run();
        } finally {
          done.countDown();
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException shuttingDown) {
            // The hook is running and waited for us.
          }
        }
        print(db, result, json);
        return result.outcome() == DeployResult.Outcome.DEPLOYED
            ? ExitCode.OK
            : result.outcome().exitCode();
      }
    }
  }

  /** The GitHub side of a deploy in Actions: a deployment with statuses, and the job summary. */
  public static final class GithubDeployment {
    static final GithubDeployment NONE = new GithubDeployment(null, null, Optional.empty(), null);

    private final dev.tollgate.actions.github.ActionsEnvironment env;
    private final dev.tollgate.actions.github.GithubClient client;
    private final Optional<Long> id;
    private final PrintWriter out;

    private GithubDeployment(
        dev.tollgate.actions.github.ActionsEnvironment env,
        dev.tollgate.actions.github.GithubClient client,
        Optional<Long> id,
        PrintWriter out) {
      this.env = env;
      this.client = client;
      this.id = id;
      this.out = out;
    }

    /** Creates the deployment when every gate passes (a blocked deploy records none). */
    static GithubDeployment start(Deployment deployment, PrintWriter out, Seams seams) {
      DeployRequest req = deployment.request();
      var env = GithubSetup.actionsEnvironment(seams);
      var token = GithubSetup.token(env, out);
      deployment.withSecrets(Secrets.of(java.util.List.of(token.value())));
      var client = GithubSetup.client(env, token, Optional.empty(), seams);
      boolean passes =
          deployment.gates().stream()
              .allMatch(
                  g ->
                      g instanceof GateResult.Pass
                          || g.gate().equals("deploy-lock") && !req.waitForLock().isZero());
      if (!passes) {
        return new GithubDeployment(env, client, Optional.empty(), out);
      }
      Optional<Long> id =
          client.startDeployment(
              env.repository(),
              req.commitSha(),
              req.environment(),
              "tollgate deploy " + req.version() + " by " + req.actor());
      if (id.isEmpty()) {
        out.println(
            "::warning::the token may not create deployments (needs deployments: write); deploying without a GitHub deployment record");
      } else {
        client.deploymentStatus(
            env.repository(), id.get(), "in_progress", env.runUrl(), "deploying " + req.version());
      }
      return new GithubDeployment(env, client, id, out);
    }

    /** Posts the final status and writes the job summary, with {@code secrets} masked in both. */
    void finish(DeployResult result, Secrets secrets) {
      if (env == null) {
        return;
      }
      id.ifPresent(
          d ->
              client.deploymentStatus(
                  env.repository(),
                  d,
                  result.outcome() == DeployResult.Outcome.DEPLOYED ? "success" : "failure",
                  env.runUrl(),
                  secrets.mask(result.message())));
      env.summaryFile()
          .ifPresent(
              file -> {
                StringBuilder md =
                    new StringBuilder("### tollgate deploy: ")
                        .append(result.outcome().name().toLowerCase(java.util.Locale.ROOT))
                        .append("\n\n");
                md.append("| gate | result | reason |\n| --- | --- | --- |\n");
                for (GateResult g : result.gates()) {
                  md.append("| ")
                      .append(g.gate())
                      .append(" | ")
                      .append(g instanceof GateResult.Pass ? "pass" : "**blocked**")
                      .append(" | ")
                      .append(g.reason().replace("|", "\\|"))
                      .append(" |\n");
                }
                result
                    .release()
                    .ifPresent(
                        r ->
                            md.append("\nRelease ")
                                .append(r.id())
                                .append(": `")
                                .append(r.status())
                                .append("`, ")
                                .append(r.version())
                                .append(" (")
                                .append(r.commitSha())
                                .append(")")
                                .append(
                                    r.backupRef() == null ? "" : ", backup `" + r.backupRef() + "`")
                                .append(
                                    r.runId() == null
                                        ? ""
                                        : "; log: `tollgate runs logs " + r.runId() + "`")
                                .append("\n"));
                md.append("\n").append(result.message()).append("\n");
                dev.tollgate.actions.workflow.StepSummary.at(file)
                    .append(secrets.mask(md.toString()), "the release log");
              });
    }
  }
}
