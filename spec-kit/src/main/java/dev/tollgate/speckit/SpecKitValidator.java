package dev.tollgate.speckit;

import static org.apiguardian.api.API.Status.STABLE;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.report.Report;
import dev.tollgate.speckit.internal.ValidationRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The deterministic Spec Kit validator: finds the kits under the given paths, parses every
 * constitution, spec, prd, plan, tasks and checklist file, and reports what breaks the rule catalog
 * ({@link SpecKitRules}).
 */
@API(status = STABLE, since = "0.1.0")
public final class SpecKitValidator {
  private final SpecKitConfig config;

  /** A validator with the given configuration. */
  public SpecKitValidator(SpecKitConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Sets up, once per JVM, what every validation uses (the Markdown parser, the rules' patterns,
   * the rule catalogue) by reading a small built-in spec; reads no file. A front end may call it on
   * another thread while it starts, so that its first validation does not pay for that set-up;
   * calling it is never needed.
   */
  public static void prepare() {
    ValidationRun.prepare();
  }

  /**
   * Validates each target (a repository root, a specs folder or one feature folder) and returns one
   * report whose paths are relative to the project root.
   *
   * @throws dev.tollgate.core.TollgateException of kind BAD_INPUT when a target does not exist or
   *     cannot be read
   */
  public Report validate(List<Path> targets) {
    Objects.requireNonNull(targets, "targets");
    return ValidationRun.run(List.copyOf(targets), this::configure);
  }

  /**
   * The folder the paths of a report on {@code target} are relative to: the root of the Git
   * repository that holds the target's project, or, outside a repository, the project root (the
   * nearest folder at or above the target with {@code .specify/}, {@code specs/}, {@code spec/},
   * {@code .tollgate/} or {@code memory/constitution.md}). A front end that shows paths to a person
   * resolves them against it.
   *
   * @throws dev.tollgate.core.TollgateException of kind BAD_INPUT when the target does not exist
   */
  public static Path reportRoot(Path target) {
    Objects.requireNonNull(target, "target");
    return ValidationRun.reportRoot(target);
  }

  /** Applies the configuration to one finding: dropped when ignored, else at its severity. */
  private Optional<Diagnostic> configure(Diagnostic d) {
    if (config.ignored(d.ruleId(), d.location().file())) {
      return Optional.empty();
    }
    return config
        .severityFor(d.ruleId(), d.severity())
        .map(s -> s == d.severity() ? d : d.withSeverity(s));
  }
}
