package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A check that runs a bash command and passes when it exits 0. Deploy parameters (commit, version,
 * backup reference, ...) reach the command only as environment variables, never as text spliced
 * into it.
 *
 * @param name the step's name
 * @param command the bash command, run as written
 * @param env extra environment variables with literal values
 * @param timeout the longest the command may run; default {@link #DEFAULT_TIMEOUT}
 * @param start a server to start first (pre-deploy smoke checks only)
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record ShellCheck(
    String name,
    String command,
    Map<String, String> env,
    Duration timeout,
    Optional<ServerStart> start)
    implements Check {
  /** The default {@link #timeout}: 10 minutes. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Checks every field; environment names must be shell identifiers. */
  public ShellCheck {
    Specs.text(name, "name");
    Specs.text(command, "command of check " + name);
    env = Map.copyOf(Objects.requireNonNull(env, "env"));
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (!ENV_NAME.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException(
            "env of check " + name + ": '" + e.getKey() + "' is not an environment variable name");
      }
      if (e.getValue().indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "env of check " + name + ": " + e.getKey() + " contains a NUL character");
      }
    }
    Specs.positive(timeout, "timeout of check " + name);
    Objects.requireNonNull(start, "start");
  }

  /** A shell check with no extra environment, the default timeout and no server. */
  public static ShellCheck of(String name, String command) {
    return new ShellCheck(name, command, Map.of(), DEFAULT_TIMEOUT, Optional.empty());
  }
}
