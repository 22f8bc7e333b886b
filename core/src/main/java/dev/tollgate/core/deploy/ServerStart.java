package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * A server a pre-deploy smoke check starts first (for example the new build on a spare port) and
 * waits for: the check runs once {@code healthUrl} answers 2xx, and fails when it does not within
 * {@code timeout}.
 *
 * @param command the shell command that starts the server; parameters reach it only as environment
 *     variables
 * @param healthUrl an http:// or https:// URL polled until it answers 2xx
 * @param timeout how long to wait for the health URL; default {@link #DEFAULT_TIMEOUT}
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record ServerStart(String command, String healthUrl, Duration timeout) {
  /** The default {@link #timeout}: 60 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** Checks every field. */
  public ServerStart {
    Specs.text(command, "start.command");
    HttpCheck.requireHttpUrl(healthUrl, "start.health_url");
    Specs.positive(timeout, "start.timeout");
  }
}
