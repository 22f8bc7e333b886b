package dev.tollgate.controlplane;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Who is calling the control plane, as the host (or a configured authenticator) established it: the
 * name the policy's permissions and the items' history know, and the scopes granted.
 *
 * @param name the actor's name, e.g. {@code alice}; recorded as the actor of every action
 * @param scopes what this identity may do
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record Identity(String name, Set<Scope> scopes) {

  /** Checks the name and copies the scopes. */
  public Identity {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("identity name must be non-blank printable text");
    }
    scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
  }

  /** An identity with every scope. */
  public static Identity withAllScopes(String name) {
    return new Identity(name, EnumSet.allOf(Scope.class));
  }

  /** Whether this identity holds {@code scope}. */
  public boolean has(Scope scope) {
    return scopes.contains(scope);
  }
}
