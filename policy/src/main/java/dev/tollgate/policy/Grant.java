package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * Who holds one permission: users by name and teams by name.
 *
 * @param users user names, as actors give them
 * @param teams team names declared under {@code teams}
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record Grant(Set<String> users, Set<String> teams) {
  /** Copies both sets, sorted. */
  public Grant {
    users =
        java.util.Collections.unmodifiableSortedSet(
            new TreeSet<>(Objects.requireNonNull(users, "users")));
    teams =
        java.util.Collections.unmodifiableSortedSet(
            new TreeSet<>(Objects.requireNonNull(teams, "teams")));
  }
}
