package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.deploy.WindowDecision;
import dev.tollgate.core.deploy.store.LockHolder;
import dev.tollgate.core.deploy.store.Release;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One environment as an operator sees it at a moment: whether something locks or holds it, whether
 * its windows let a deploy start, when that changes, and what runs there now.
 *
 * @param environment the environment's name
 * @param lock the running deploy's lock or the hold on it, if any
 * @param window whether a deploy could start now under its windows (runway included)
 * @param nextWindowChange when the window decision changes next: the close of an open period, the
 *     next opening of a closed one; empty when nothing changes within the search horizon
 * @param latest its newest release, if any
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record EnvironmentStatus(
    String environment,
    Optional<LockHolder> lock,
    WindowDecision window,
    Optional<Instant> nextWindowChange,
    Optional<Release> latest) {

  /** Checks the fields. */
  public EnvironmentStatus {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(lock, "lock");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(nextWindowChange, "nextWindowChange");
    Objects.requireNonNull(latest, "latest");
  }
}
