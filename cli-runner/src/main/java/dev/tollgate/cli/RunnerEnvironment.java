package dev.tollgate.cli;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.runs.step.Secrets;
import dev.tollgate.core.runs.template.ParamsCipher;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The runner's process environment, read through one seam so tests can replace it, and what the
 * runner takes from it: the key that seals secret parameters, and the secrets it must mask.
 */
final class RunnerEnvironment {
  private RunnerEnvironment() {}

  /** The process environment; replaced in tests. */
  static Supplier<Map<String, String>> current = System::getenv;

  /**
   * The key in {@value ParamsCipher#KEY_VARIABLE}; empty when it is not set.
   *
   * @throws dev.tollgate.core.TollgateException of kind BAD_INPUT when it is set but is no key
   */
  static Optional<ParamsCipher> cipher() {
    return ParamsCipher.fromEnvironment(current.get());
  }

  /**
   * The secrets the runner knows and masks in every step's output: the database passwords and the
   * values of its environment variables named like secrets.
   */
  static Secrets secrets(Database db) {
    return Secrets.of(db.settings().passwords()).and(Secrets.namedLikeSecrets(current.get()));
  }
}
