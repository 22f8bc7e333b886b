package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.Location;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One place a blocking gate points at: the offending file and line (a secret, a path outside the
 * allowlist), or the policy key behind a limit. Renderers turn each into an annotation.
 *
 * @param location where, relative to the repository root
 * @param message what is wrong there; never the secret itself
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record GateFinding(Location location, String message) {
  /** Checks both parts. */
  public GateFinding {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
    if (message.isBlank()) {
      throw new IllegalArgumentException("message must not be blank");
    }
  }
}
