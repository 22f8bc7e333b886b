package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * How to deploy to one environment, read from {@code .tollgate/deploy/<environment>.yml}: the lock,
 * the windows, the change policy, and the checks run before, during and after the deploy. See
 * {@code docs/deploys.md} for the file format and {@link DeploySpecLoader} to read one.
 *
 * @param environment the environment's name, also its file name without {@code .yml}
 * @param lock the deploy lock settings
 * @param windows when deploys may start
 * @param change the change-request policy
 * @param backup a step that takes a backup before deploying; its output names the backup
 * @param smokePre checks run before deploying, in order
 * @param deploy the step that deploys
 * @param smokePost checks run after deploying, in order; a failure triggers the rollback
 * @param rollback the step that undoes a deploy
 * @param zeroDowntime a check polled during the deploy that must keep passing
 * @param record the artifacts recorded with the release
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record DeploySpec(
    String environment,
    LockSpec lock,
    WindowSpec windows,
    ChangePolicy change,
    Optional<Check> backup,
    List<Check> smokePre,
    Check deploy,
    List<Check> smokePost,
    Optional<Check> rollback,
    Optional<HttpCheck> zeroDowntime,
    RecordSpec record) {

  /** Where deploy specs live, relative to the project root. */
  public static final String DIRECTORY = ".tollgate/deploy";

  /** What an environment name may look like: it is also a file name. */
  public static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  /** Checks every field; only pre-deploy smoke checks may start a server. */
  public DeploySpec {
    Objects.requireNonNull(environment, "environment");
    if (!ENVIRONMENT.matcher(environment).matches()) {
      throw new IllegalArgumentException(
          "environment must be lower-case letters, digits, '-' and '_' but was '"
              + environment
              + "'");
    }
    Objects.requireNonNull(lock, "lock");
    Objects.requireNonNull(windows, "windows");
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(backup, "backup");
    smokePre = List.copyOf(Objects.requireNonNull(smokePre, "smokePre"));
    Objects.requireNonNull(deploy, "deploy");
    smokePost = List.copyOf(Objects.requireNonNull(smokePost, "smokePost"));
    Objects.requireNonNull(rollback, "rollback");
    Objects.requireNonNull(zeroDowntime, "zeroDowntime");
    Objects.requireNonNull(record, "record");
    noServer(backup.stream().toList(), "backup");
    noServer(List.of(deploy), "deploy");
    noServer(smokePost, "smoke_post");
    noServer(rollback.stream().toList(), "rollback");
    noServer(zeroDowntime.stream().map(Check.class::cast).toList(), "zero_downtime");
    uniqueNames(smokePre, "smoke_pre");
    uniqueNames(smokePost, "smoke_post");
  }

  /**
   * The spec a rollback of this environment runs as a deploy: its rollback step in the deploy's
   * place, then the post-deploy smoke checks, under the same lock, windows, change policy and
   * record; no backup, pre-deploy smoke checks, zero-downtime probe or rollback of its own.
   *
   * @throws IllegalStateException when this spec declares no rollback step
   */
  public DeploySpec asRollback() {
    Check step =
        rollback.orElseThrow(
            () -> new IllegalStateException(environment + " declares no rollback step"));
    return new DeploySpec(
        environment,
        lock,
        windows,
        change,
        Optional.empty(),
        List.of(),
        step,
        smokePost,
        Optional.empty(),
        Optional.empty(),
        record);
  }

  private static void noServer(List<Check> checks, String where) {
    for (Check c : checks) {
      if (c.start().isPresent()) {
        throw new IllegalArgumentException(
            where + " check '" + c.name() + "' has a start server; only smoke_pre checks may");
      }
    }
  }

  private static void uniqueNames(List<Check> checks, String where) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Check c : checks) {
      if (!seen.add(c.name())) {
        throw new IllegalArgumentException(where + " has two checks named '" + c.name() + "'");
      }
    }
  }
}
