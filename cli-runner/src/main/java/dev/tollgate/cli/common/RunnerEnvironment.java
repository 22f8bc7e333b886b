package dev.tollgate.cli.common;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.runs.exec.ParamsCipher;
import dev.tollgate.core.runs.exec.Secrets;
import java.util.Map;
import java.util.Optional;

/**
 * What the runner takes from its process environment (the commands' {@link Seams}): the key that
 * seals secret parameters, and the secrets it must mask.
 */
public final class RunnerEnvironment {
  private RunnerEnvironment() {}

  /**
   * The key in {@value ParamsCipher#KEY_VARIABLE}; empty when it is not set.
   *
   * @throws dev.tollgate.core.TollgateException of kind BAD_INPUT when it is set but is no key
   */
  public static Optional<ParamsCipher> cipher(Map<String, String> environment) {
    return ParamsCipher.fromEnvironment(environment);
  }

  /**
   * The secrets the runner knows and masks in every step's output: the database passwords and the
   * values of its environment variables named like secrets.
   */
  public static Secrets secrets(Database db, Map<String, String> environment) {
    return Secrets.of(db.settings().passwords()).and(Secrets.namedLikeSecrets(environment));
  }
}
