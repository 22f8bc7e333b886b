package dev.tollgate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tollgate.actions.report.JsonText;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.deploy.store.LockAttempt;
import dev.tollgate.core.deploy.store.LockHolder;
import dev.tollgate.core.deploy.store.Release;
import dev.tollgate.core.runs.RunQueue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tollgate lock}, {@code unlock}, {@code locks} and {@code releases}. */
final class LockCommands {
  private LockCommands() {}

  /** The deploy store on an open database. */
  record Session(Database db, DeployStore store) implements AutoCloseable {
    static Session open(DatabaseOptions options) {
      Database db = options.open(4);
      return new Session(db, DeployStore.postgres(db.dataSource(), db.schema()));
    }

    /** The run queue on the same database, where a release's log lives. */
    RunQueue queue() {
      return RunQueue.postgres(db.dataSource(), db.schema());
    }

    @Override
    public void close() {
      db.close();
    }
  }

  /** Who is acting: --actor, else $GITHUB_ACTOR, else the OS user. */
  static String actor(String option) {
    if (option != null && !option.isBlank()) {
      return option;
    }
    String gh = System.getenv("GITHUB_ACTOR");
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
  static final class Lock implements Callable<Integer> {
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
      String who = actor(actor);
      try (Session s = Session.open(db)) {
        LockAttempt attempt =
            s.store()
                .acquireLock(
                    env,
                    "hold",
                    "hold by " + who,
                    who,
                    reason,
                    Duration.ofDays(3650),
                    Duration.ofDays(3650));
        if (attempt instanceof LockAttempt.Held held) {
          db.out()
              .println(
                  json
                      ? JsonText.pretty(DeployViews.json(held.holder()))
                      : "already locked: " + DeployViews.line(held.holder()));
          return ExitCode.FINDINGS;
        }
        LockHolder now = s.store().lock(env).orElseThrow();
        db.out()
            .println(
                json ? JsonText.pretty(DeployViews.json(now)) : "locked " + DeployViews.line(now));
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
  static final class Unlock implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
    String env;

    @Option(names = "--force", description = "Also break a running deploy's lock.")
    boolean force;

    @Option(
        names = "--actor",
        paramLabel = "NAME",
        description = "Who unlocks (default: $GITHUB_ACTOR or the user).")
    String actor;

    @Override
    public Integer call() {
      checkEnvironment(db, env);
      db.json();
      try (Session s = Session.open(db)) {
        var before = s.store().lock(env);
        DeployStore.UnlockResult result = s.store().unlock(env, actor(actor), force);
        switch (result) {
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
                          + before.map(DeployViews::line).orElse("")
                          + "\nIf it is dead it is taken over after its stale_after; to break it now, pass --force.");
        }
        return result == DeployStore.UnlockResult.UNLOCKED ? ExitCode.OK : ExitCode.FINDINGS;
      }
    }
  }

  @Command(
      name = "locks",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"List held locks: who, since when, why.", "Exit codes: 0, 2, 3."})
  static final class Locks implements Callable<Integer> {
    @Mixin DatabaseOptions db;

    @Override
    public Integer call() {
      boolean json = db.json();
      try (Session s = Session.open(db)) {
        List<LockHolder> locks = s.store().locks();
        if (json) {
          ArrayNode array = JsonText.mapper().createArrayNode();
          locks.forEach(l -> array.add(DeployViews.json(l)));
          db.out().println(JsonText.pretty(array));
        } else if (locks.isEmpty()) {
          db.out().println("no environment is locked");
        } else {
          locks.forEach(l -> db.out().println(DeployViews.line(l)));
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
  static final class Releases implements Callable<Integer> {
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
      try (Session s = Session.open(db)) {
        List<Release> releases = s.store().releases(env, limit);
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
