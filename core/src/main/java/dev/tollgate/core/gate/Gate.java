package dev.tollgate.core.gate;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A named check that passes, blocks with recovery guidance, or reports that it could not decide.
 *
 * <p>This is also the service-provider interface for custom gates: list an implementation with a
 * public no-argument constructor in {@code META-INF/services/dev.tollgate.core.gate.Gate} and
 * {@link GateRegistry#withServiceLoader(ClassLoader)} finds it. A custom gate's id must not reuse a
 * built-in id. Gates must be deterministic: the same context gives the same result, and they must
 * not write anything.
 */
@API(status = STABLE, since = "0.1.0")
public interface Gate {

  /** The stable, lower-case kebab-case id policies refer to, e.g. {@code wip-limit}. */
  String id();

  /** One sentence saying what the gate checks, for reference docs and {@code --help}. */
  String description();

  /**
   * Evaluates the gate.
   *
   * @return never {@code null}; a result whose {@link GateResult#gate()} is {@link #id()}
   */
  GateResult evaluate(GateContext context);
}
