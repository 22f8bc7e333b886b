package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One step a deploy runs and judges: a {@link ShellCheck} (a command that must exit 0) or an {@link
 * HttpCheck} (a request whose answer must match). Deploy, backup and rollback commands are checks
 * too, so every step has a name, a timeout and one way of saying whether it worked.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public sealed interface Check permits ShellCheck, HttpCheck {
  /** The step's name, unique within its list, shown in reports. */
  String name();

  /** The longest the whole check may take, retries included. */
  Duration timeout();

  /**
   * A server to start before the check runs and stop after the pre-deploy smoke checks; only
   * pre-deploy smoke checks may have one.
   */
  Optional<ServerStart> start();
}
