package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.deploy.DeploySpec;
import dev.tollgate.core.deploy.DeploySpecLoader;
import dev.tollgate.core.deploy.DeployWindows;
import dev.tollgate.core.deploy.WindowDecision;
import dev.tollgate.core.deploy.store.AuditEntry;
import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.deploy.store.LockHolder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The environments of a project as an operator sees them: each one's lock or hold, window and
 * latest release, and its audit trail. The control plane's Operations view, for every front end.
 * Thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class EnvironmentService {
  private final DeployProject project;
  private final DeployBackend backend;
  private final Clock clock;

  /** A service over {@code project}'s deploy specs, with state in {@code backend}. */
  public EnvironmentService(DeployProject project, DeployBackend backend, Clock clock) {
    this.project = Objects.requireNonNull(project, "project");
    this.backend = Objects.requireNonNull(backend, "backend");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The environments one deploys to, sorted: every spec file's name but those that other files
   * inherit.
   */
  public List<String> names() {
    return DeploySpecLoader.targets(project.root());
  }

  /**
   * Every environment's status now: one query for the locks, one per environment for its latest
   * release.
   *
   * @throws dev.tollgate.core.TollgateException of kind {@code BAD_INPUT} for a broken spec file
   */
  public List<EnvironmentStatus> all() {
    DeployStore store = backend.store();
    Map<String, LockHolder> locks =
        store.locks().stream()
            .collect(Collectors.toMap(LockHolder::environment, Function.identity(), (a, b) -> a));
    Instant now = clock.instant();
    List<EnvironmentStatus> out = new ArrayList<>();
    for (String name : names()) {
      DeploySpec spec = project.spec(name);
      out.add(status(spec, Optional.ofNullable(locks.get(name)), now));
    }
    return out;
  }

  /**
   * One environment's status now.
   *
   * @throws dev.tollgate.core.TollgateException of kind {@code BAD_INPUT} for an unknown
   *     environment or a broken spec file
   */
  public EnvironmentStatus status(String environment) {
    DeploySpec spec = project.spec(Objects.requireNonNull(environment, "environment"));
    return status(spec, backend.store().lock(environment), clock.instant());
  }

  /** The environment's audit trail (locks, holds, unlocks, take-overs, overrides), newest first. */
  public List<AuditEntry> audit(String environment, int limit) {
    return backend.store().auditLog(Objects.requireNonNull(environment, "environment"), limit);
  }

  private EnvironmentStatus status(DeploySpec spec, Optional<LockHolder> lock, Instant now) {
    DeployWindows windows = DeployWindows.of(spec.windows());
    WindowDecision decision = windows.evaluate(now, Duration.ZERO);
    Optional<Instant> next;
    if (decision instanceof WindowDecision.Open open) {
      next = open.closesAt();
    } else if (decision instanceof WindowDecision.Closed closed) {
      next = closed.nextOpen();
    } else {
      next = Optional.of(((WindowDecision.NoRunway) decision).closesAt());
    }
    return new EnvironmentStatus(
        spec.environment(),
        lock,
        decision,
        next,
        backend.store().releases(spec.environment(), 1).stream().findFirst());
  }
}
