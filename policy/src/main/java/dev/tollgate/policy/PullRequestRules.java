package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.Location;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The pull-request rules of a policy: the {@code pull_request:} section of {@code
 * .tollgate/policy.yml}, which {@code tollgate gate} checks. Read it with {@link MergeGate#load}.
 *
 * @param file the policy file, as shown to users
 * @param gates the gate ids to evaluate, in order
 * @param workItem how the branch or title references a work item
 * @param eligibleLanes the lanes the referenced item may be in; empty for every non-terminal lane
 * @param maxFiles the most files a PR may change; empty for no limit
 * @param maxLines the most lines (added plus deleted) a PR may change; empty for no limit
 * @param touchedDirectories folders changed paths must be inside, without trailing {@code /}; empty
 *     for anywhere
 * @param requiredLabels labels the PR must carry, sorted
 * @param requiredApprovals approving reviews the PR needs
 * @param specKit which Spec Kits must validate
 * @param secretsExclude globs of paths the secrets gate does not scan
 * @param keys where each configured key was written, by its dotted name ({@code
 *     pull_request.max_files}), for annotations that point at the policy
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record PullRequestRules(
    String file,
    List<String> gates,
    WorkItemReference workItem,
    List<String> eligibleLanes,
    OptionalInt maxFiles,
    OptionalLong maxLines,
    List<String> touchedDirectories,
    Set<String> requiredLabels,
    int requiredApprovals,
    SpecKitScope specKit,
    List<String> secretsExclude,
    Map<String, Location> keys) {

  /** Which Spec Kits the {@code spec-kit} gate validates. */
  public enum SpecKitScope {
    /** Every kit in the repository. */
    ALL,
    /** Only the kits the PR changes a file of. */
    TOUCHED,
    /** None: the gate passes without validating. */
    OFF
  }

  /** Where the {@code work-item-reference} gate looks for a reference. */
  public enum ReferenceSource {
    /** The PR's head branch name. */
    BRANCH,
    /** The PR's title. */
    TITLE,
    /** The messages of the PR's commits. */
    COMMITS
  }

  /**
   * How a PR references a work item.
   *
   * @param pattern found in the branch or title; its group {@code key}, if it has one, else the
   *     whole match, fills {@code {key}} in {@code idTemplate}
   * @param idTemplate the work-item id a match stands for, e.g. {@code wi-{key}}
   * @param from where to look, in order
   * @param mustExist whether the item must exist under {@code work-items/}
   */
  public record WorkItemReference(
      Pattern pattern, String idTemplate, List<ReferenceSource> from, boolean mustExist) {

    /** The default pattern: a Jira-style key such as {@code BF-274}. */
    public static final String DEFAULT_PATTERN = "(?<key>[A-Z][A-Z0-9]+-[0-9]+)";

    /** The default id template. */
    public static final String DEFAULT_ID = "wi-{key}";

    /** Checks the parts. */
    public WorkItemReference {
      Objects.requireNonNull(pattern, "pattern");
      Objects.requireNonNull(idTemplate, "idTemplate");
      from = List.copyOf(from);
      if (from.isEmpty()) {
        throw new IllegalArgumentException("from must name at least one source");
      }
    }

    /** The defaults: {@value #DEFAULT_PATTERN} → {@value #DEFAULT_ID} in the branch, then title. */
    public static WorkItemReference defaults() {
      return new WorkItemReference(
          Pattern.compile(DEFAULT_PATTERN),
          DEFAULT_ID,
          List.of(ReferenceSource.BRANCH, ReferenceSource.TITLE),
          true);
    }

    /** The work-item id {@code text} references, if the pattern occurs in it. */
    public Optional<String> find(String text) {
      var m = pattern.matcher(text);
      if (!m.find()) {
        return Optional.empty();
      }
      String key;
      try {
        key = m.group("key");
      } catch (IllegalArgumentException noSuchGroup) {
        key = m.group();
      }
      return Optional.of(idTemplate.replace("{key}", key == null ? m.group() : key));
    }
  }

  /** Checks the values and copies the collections. */
  public PullRequestRules {
    Objects.requireNonNull(file, "file");
    gates = List.copyOf(gates);
    Objects.requireNonNull(workItem, "workItem");
    eligibleLanes = List.copyOf(eligibleLanes);
    Objects.requireNonNull(maxFiles, "maxFiles");
    Objects.requireNonNull(maxLines, "maxLines");
    touchedDirectories = List.copyOf(touchedDirectories);
    requiredLabels = Collections.unmodifiableSortedSet(new TreeSet<>(requiredLabels));
    if (requiredApprovals < 0) {
      throw new IllegalArgumentException(
          "requiredApprovals must not be negative but was " + requiredApprovals);
    }
    Objects.requireNonNull(specKit, "specKit");
    secretsExclude = List.copyOf(secretsExclude);
    keys = Collections.unmodifiableMap(new TreeMap<>(keys));
  }

  /** The rules of a policy without a {@code pull_request:} section. */
  public static PullRequestRules defaults(String file) {
    return new PullRequestRules(
        file,
        PullRequestGates.DEFAULT_ORDER,
        WorkItemReference.defaults(),
        List.of(),
        OptionalInt.empty(),
        OptionalLong.empty(),
        List.of(),
        Set.of(),
        0,
        SpecKitScope.TOUCHED,
        List.of(),
        Map.of());
  }

  /**
   * Where {@code key} (e.g. {@code pull_request.max_files}) was written; where the section was, or
   * the file itself, when it was not.
   */
  public Location locate(String key) {
    Location at = keys.get(key);
    if (at != null) {
      return at;
    }
    at = keys.get("pull_request");
    return at != null ? at : Location.ofFile(file);
  }
}
