package dev.tollgate.cli.common;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.deploy.service.DeployBackend;
import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.exec.Secrets;

/**
 * The database behind a queue or deploy command, with the run queue and the deploy store on it:
 * opened on first use (an order refused by the project's files never starts it) and closed with
 * this.
 */
public final class Session implements DeployBackend, AutoCloseable {
  private final DatabaseOptions options;
  private Database db;
  private RunQueue queue;
  private DeployStore store;

  /** A session that opens the database of {@code options} when it is first needed. */
  public Session(DatabaseOptions options) {
    this.options = options;
  }

  /** A session whose database is open already, so that one that cannot be reached fails here. */
  public static Session open(DatabaseOptions options) {
    Session s = new Session(options);
    s.db();
    return s;
  }

  /** The database, opened (and migrated when embedded or asked to) on first use. */
  public Database db() {
    if (db == null) {
      db = options.open(4);
    }
    return db;
  }

  @Override
  public RunQueue queue() {
    if (queue == null) {
      queue = RunQueue.postgres(db().dataSource(), db().schema());
    }
    return queue;
  }

  @Override
  public DeployStore store() {
    if (store == null) {
      store = DeployStore.postgres(db().dataSource(), db().schema());
    }
    return store;
  }

  /** The database passwords and the runner's variables named like secrets. */
  @Override
  public Secrets secrets() {
    return RunnerEnvironment.secrets(db(), options.environment());
  }

  /**
   * The run with this id.
   *
   * @throws TollgateException of kind BAD_INPUT when no run has it
   */
  public Run run(long id) {
    return queue()
        .find(id)
        .orElseThrow(() -> TollgateException.badInput("run " + id + ": no run has this id"));
  }

  @Override
  public void close() {
    if (db != null) {
      db.close();
    }
  }
}
