package dev.tollgate.cli.deploy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tollgate.actions.report.JsonText;
import dev.tollgate.cli.common.DatabaseOptions;
import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.Session;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.deploy.DeploySpec;
import dev.tollgate.core.deploy.service.DeployInputException;
import dev.tollgate.core.deploy.service.DeployProject;
import dev.tollgate.core.deploy.service.DeployService;
import dev.tollgate.core.deploy.service.HoldResult;
import dev.tollgate.core.deploy.service.LockService;
import dev.tollgate.core.deploy.service.UnlockOutcome;
import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.deploy.store.LockHolder;
import dev.tollgate.core.deploy.store.Release;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tollgate lock}, {@code unlock}, {@code locks} and {@code releases}. */
public final class LockCommands {
  private LockCommands() {}

  /** The project under {@code --dir}: spec errors name the file under it, as item errors do. */
  public static DeployProject project(DatabaseOptions db) {
    return new DeployProject() {
      @Override
      public Path root() {
        return db.root();
      }

      @Override
      public DeploySpec spec(String environment) {
        return db.deploySpec(environment);
      }
    };
  }

  /** The deploy service of the project under {@code --dir}, steps seeing the runner's variables. */
  static DeployService deploys(DatabaseOptions db, Session backend) {
    return DeployService.builder(project(db), backend)
        .clock(db.clock())
        .environment(db.environment())
        .build();
  }

  /**
   * {@code e} worded for the command line: each input named by the option that gave it, a spec file
   * under {@code --dir}.
   */
  static TollgateException worded(DatabaseOptions db, DeployInputException e) {
    DeployInputException.Problem p = e.problem();
    String message;
    if (p instanceof DeployInputException.UnknownRef r) {
      message = "--ref " + r.ref() + ": no such branch, tag or commit in " + r.repository();
    } else if (p instanceof DeployInputException.UnknownChange c) {
      message = "--change " + c.id() + ": no change request has this id";
    } else if (p instanceof DeployInputException.UnknownRelease r) {
      message = "--to " + r.id() + ": no such release";
    } else if (p instanceof DeployInputException.ReleaseOfAnotherEnvironment r) {
      message =
          "--to " + r.id() + ": release of " + r.releaseEnvironment() + ", not " + r.environment();
    } else if (p instanceof DeployInputException.NoEarlierRelease n) {
      message =
          n.environment() + " has no earlier deployed release to roll back to; pass --to RELEASE";
    } else if (p instanceof DeployInputException.NoRollbackStep n) {
      message = db.prefix() + n.specFile() + " declares no rollback step";
    } else {
      message = e.getMessage();
    }
    return TollgateException.badInput(message);
  }

  /** Who is acting: --actor, else $GITHUB_ACTOR, else the OS user. */
  static String actor(DatabaseOptions db, String option) {
    if (option != null && !option.isBlank()) {
      return option;
    }
    String gh = db.environment().get("GITHUB_ACTOR");
    return gh != null && !gh.isBlank() ? gh : System.getProperty("user.name", "unknown");
  }

  static void checkEnvironment(DatabaseOptions db, String env) {
    if (!env.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
      throw db.usage(
          "ENV: expected lower-case letters, digits, '.', '_' or '-', found '" + env + "'");
    }
  }

  @Command(
      name = "lock",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      sortOptions = false,
      description = {
        "Hold an environment: every deploy is refused until `tollgate unlock ENV`. A hold never"
            + " expires.",
        "Exit codes: 0 held, 1 already locked (the holder is printed), 2 bad input, 3 could not"
            + " finish."
      })
  public static final class Lock implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
    String env;

    @Option(
        names = "--reason",
        required = true,
        paramLabel = "TEXT",
        description = "Why (shown to everyone the hold blocks).")
    String reason;

    @Option(
        names = "--actor",
        paramLabel = "NAME",
        description = "Who holds it (default: $GITHUB_ACTOR or the user).")
    String actor;

    @Override
    public Integer call() {
      checkEnvironment(db, env);
      if (reason.isBlank()) {
        throw db.usage("--reason must not be blank");
      }
      boolean json = db.json();
      String who = actor(db, actor);
      try (Session backend = new Session(db)) {
        HoldResult result = new LockService(backend).hold(env, who, reason);
        LockHolder holder = result.holder();
        if (result instanceof HoldResult.AlreadyLocked) {
          db.out()
              .println(
                  json
                      ? JsonText.pretty(DeployViews.json(holder))
                      : "already locked: " + DeployViews.line(holder, db.clock().instant()));
          return ExitCode.FINDINGS;
        }
        db.out()
            .println(
                json
                    ? JsonText.pretty(DeployViews.json(holder))
                    : "locked " + DeployViews.line(holder, db.clock().instant()));
        return ExitCode.OK;
      }
    }
  }

  @Command(
      name = "unlock",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      sortOptions = false,
      description = {
        "Remove an environment's hold (manual, or left by an automatic rollback). A running"
            + " deploy's lock is only broken with --force, which is audited; that deploy's later"
            + " writes are then refused.",
        "Exit codes: 0 unlocked, 1 not locked or held by a running deploy, 2 bad input, 3 could"
            + " not finish."
      })
  public static final class Unlock implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
    String env;

    @Option(names = "--force", description = "Also break a running deploy's lock.")
    boolean force;

    @Option(
        names = "--reason",
        paramLabel = "TEXT",
        description =
            "Why it is unlocked, kept in the environment's audit trail next to who unlocked.")
    String reason;

    @Option(
        names = "--actor",
        paramLabel = "NAME",
        description = "Who unlocks (default: $GITHUB_ACTOR or the user).")
    String actor;

    @Override
    public Integer call() {
      checkEnvironment(db, env);
      db.json();
      try (Session backend = new Session(db)) {
        LockService locks = new LockService(backend);
        String who = actor(db, actor);
        UnlockOutcome outcome = locks.unlock(env, who, force, reason == null ? "" : reason);
        var before = outcome.before();
        switch (outcome.result()) {
          case UNLOCKED ->
              db.out()
                  .println(
                      "unlocked " + env + before.map(l -> " (was: " + l.reason() + ")").orElse(""));
          case NOT_LOCKED -> db.out().println(env + " is not locked");
          case HELD_BY_DEPLOY ->
              db.out()
                  .println(
                      "a running deploy holds "
                          + env
                          + ": "
                          + before.map(l -> DeployViews.line(l, db.clock().instant())).orElse("")
                          + "\nIf it is dead it is taken over after its stale_after; to break it now, pass --force.");
        }
        return outcome.result() == DeployStore.UnlockResult.UNLOCKED
            ? ExitCode.OK
            : ExitCode.FINDINGS;
      }
    }
  }

  @Command(
      name = "locks",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"List held locks: who, since when, why.", "Exit codes: 0, 2, 3."})
  public static final class Locks implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Override
    public Integer call() {
      boolean json = db.json();
      try (Session backend = new Session(db)) {
        List<LockHolder> locks = new LockService(backend).locks();
        if (json) {
          ArrayNode array = JsonText.mapper().createArrayNode();
          locks.forEach(l -> array.add(DeployViews.json(l)));
          db.out().println(JsonText.pretty(array));
        } else if (locks.isEmpty()) {
          db.out().println("no environment is locked");
        } else {
          Instant now = db.clock().instant();
          locks.forEach(l -> db.out().println(DeployViews.line(l, now)));
        }
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "releases",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      sortOptions = false,
      description = {
        "List an environment's releases, newest first: version, commit, actor, approvers, change,"
            + " window decision, override reason, status, backup reference, artifacts with SHA-256.",
        "Exit codes: 0, 2, 3."
      })
  public static final class Releases implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
    String env;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "20",
        description = "At most this many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      checkEnvironment(db, env);
      if (limit < 1 || limit > 1000) {
        throw db.usage("--limit must be in 1..1000 but was " + limit);
      }
      boolean json = db.json();
      try (Session backend = new Session(db)) {
        List<Release> releases = new LockService(backend).releases(env, limit);
        if (json) {
          ArrayNode array = JsonText.mapper().createArrayNode();
          releases.forEach(r -> array.add(DeployViews.json(r)));
          db.out().println(JsonText.pretty(array));
        } else if (releases.isEmpty()) {
          db.out().println("no releases of " + env + " yet");
        } else {
          releases.forEach(r -> db.out().println(DeployViews.line(r)));
        }
      }
      return ExitCode.OK;
    }
  }
}
