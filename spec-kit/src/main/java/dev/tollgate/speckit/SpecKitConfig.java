package dev.tollgate.speckit;

import static org.apiguardian.api.API.Status.STABLE;

import dev.tollgate.core.Severity;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * How a project tunes the Spec Kit validator: severity overrides per rule, rules turned off, and
 * paths (optionally per rule) to ignore. Read from {@code .tollgate/spec-kit.yml}.
 *
 * @param severities rule id to the severity its findings get instead of the rule's own
 * @param disabled rule ids that are not reported at all
 * @param ignores path globs, each optionally limited to some rules
 * @param strict whether warnings fail the check too (the {@code --strict} flag also sets it)
 */
@API(status = STABLE, since = "0.1.0")
public record SpecKitConfig(
    Map<String, Severity> severities, Set<String> disabled, List<Ignore> ignores, boolean strict) {

  /** Copies the collections and checks every rule id is in the catalog. */
  public SpecKitConfig {
    severities = Map.copyOf(new TreeMap<>(severities));
    disabled = Set.copyOf(disabled);
    ignores = List.copyOf(ignores);
    for (String id : severities.keySet()) {
      SpecKitRules.require(id);
    }
    for (String id : disabled) {
      SpecKitRules.require(id);
    }
  }

  /** The defaults: every rule on at its own severity, nothing ignored, not strict. */
  public static SpecKitConfig defaults() {
    return new SpecKitConfig(Map.of(), Set.of(), List.of(), false);
  }

  /** A copy with {@code strict} set. */
  public SpecKitConfig withStrict(boolean value) {
    return new SpecKitConfig(severities, disabled, ignores, value);
  }

  /** The severity a finding of {@code ruleId} gets, given the severity the rule chose. */
  public Optional<Severity> severityFor(String ruleId, Severity found) {
    if (disabled.contains(ruleId)) {
      return Optional.empty();
    }
    return Optional.of(severities.getOrDefault(ruleId, found));
  }

  /** Whether a finding of {@code ruleId} in {@code relativePath} is ignored. */
  public boolean ignored(String ruleId, String relativePath) {
    return ignores.stream().anyMatch(i -> i.matches(ruleId, relativePath));
  }

  /**
   * A glob of project-relative paths ({@code /}-separated, {@code **} crosses folders) to ignore,
   * for all rules or only the listed ones.
   *
   * @param glob e.g. {@code specs/000-archive/**}
   * @param rules the rules it applies to; empty means all
   */
  public record Ignore(String glob, Set<String> rules) {
    /** Checks the glob and rule ids. */
    public Ignore {
      Objects.requireNonNull(glob, "glob");
      rules = Set.copyOf(rules);
      for (String id : rules) {
        SpecKitRules.require(id);
      }
      FileSystems.getDefault().getPathMatcher("glob:" + glob); // throws on a malformed glob
    }

    boolean matches(String ruleId, String relativePath) {
      if (!rules.isEmpty() && !rules.contains(ruleId)) {
        return false;
      }
      PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
      return m.matches(Path.of(relativePath)) || relativePath.startsWith(stripGlobTail(glob));
    }

    private static String stripGlobTail(String g) {
      // "specs/001-x/**" also ignores the folder itself ("specs/001-x").
      return g.endsWith("/**") && !g.substring(0, g.length() - 3).contains("*")
          ? g.substring(0, g.length() - 3)
          : "\u0000";
    }
  }
}
