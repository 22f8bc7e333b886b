package dev.tollgate.core.gate;

import static org.apiguardian.api.API.Status.STABLE;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What a gate is asked about: who asks, in which project, at what time, plus typed facts that the
 * caller supplies (a work-item action, a pull request's change set, ...).
 *
 * <p>Facts are looked up by type so that new kinds of gates (pull-request rules, custom gates) can
 * read the facts they understand without this interface growing a method per concern. A gate that
 * does not find the facts it needs should return {@link GateResult#error}.
 */
@API(status = STABLE, since = "0.1.0")
public interface GateContext {

  /** The project root: the folder holding {@code .tollgate/} and {@code work-items/}. */
  Path projectRoot();

  /** The person or bot asking, as named in the policy's permissions; empty when unknown. */
  Optional<String> actor();

  /** The clock to read the time from; never the system clock directly. */
  Clock clock();

  /** The facts of type {@code type} the caller supplied, if any. */
  <T> Optional<T> facts(Class<T> type);
}
