package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.config.ConfigDocument;
import dev.tollgate.core.config.ConfigSchema;
import dev.tollgate.core.config.DidYouMean;
import dev.tollgate.core.config.YamlConfig;
import dev.tollgate.core.gate.Gate;
import dev.tollgate.core.gate.GateContext;
import dev.tollgate.core.gate.GateRegistry;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.Verdict;
import dev.tollgate.core.workitem.Backlog;
import dev.tollgate.core.workitem.FileWorkItemStore;
import dev.tollgate.core.workitem.WorkItemStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apiguardian.api.API;

/**
 * The merge gate: evaluates a policy's pull-request rules ({@link PullRequestRules}) against one
 * pull request ({@link PullRequestFacts}) and returns one {@link MergeVerdict} with a result per
 * gate and recovery guidance per blocked gate.
 *
 * <p>Evaluation is deterministic and writes nothing. A gate that throws yields an {@code error}
 * result, except that bad input it finds (an invalid {@code .tollgate/spec-kit.yml}) is rethrown so
 * that the caller reports it as bad input.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class MergeGate {
  private static final ConfigSchema SCHEMA =
      ConfigSchema.fromResource(PolicyLoader.class, "policy.schema.json");

  private final Path projectRoot;
  private final Policy policy;
  private final PullRequestRules rules;
  private final WorkItemStore store;
  private final List<Gate> gates;

  private MergeGate(
      Path projectRoot,
      Policy policy,
      PullRequestRules rules,
      WorkItemStore store,
      List<Gate> gates) {
    this.projectRoot = projectRoot;
    this.policy = policy;
    this.rules = rules;
    this.store = store;
    this.gates = gates;
  }

  /**
   * The merge gate of the project at {@code projectRoot}, with the policy in {@code policyText}
   * (named {@code displayPath} in messages), the work items under {@code projectRoot/work-items},
   * the built-in pull-request gates and the custom gates {@code loader} provides.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when the policy or a work item is invalid
   */
  public static MergeGate load(
      Path projectRoot, String policyText, String displayPath, ClassLoader loader) {
    Objects.requireNonNull(projectRoot, "projectRoot");
    Objects.requireNonNull(policyText, "policyText");
    Objects.requireNonNull(displayPath, "displayPath");
    ConfigDocument doc = YamlConfig.parse(policyText, displayPath, SCHEMA);
    Policy policy = PolicyLoader.parse(policyText, displayPath, BuiltInGates.registry(loader));
    GateRegistry registry = PullRequestGates.registry(loader);
    PullRequestRules rules = rules(doc, policy, registry);
    return of(projectRoot, policy, rules, FileWorkItemStore.open(projectRoot), registry);
  }

  /**
   * A merge gate over the given parts.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when the rules name a gate {@code registry}
   *     does not have
   */
  public static MergeGate of(
      Path projectRoot,
      Policy policy,
      PullRequestRules rules,
      WorkItemStore store,
      GateRegistry registry) {
    Objects.requireNonNull(projectRoot, "projectRoot");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(store, "store");
    List<Gate> list = new ArrayList<>();
    for (String id : rules.gates()) {
      list.add(
          registry
              .find(id)
              .orElseThrow(
                  () ->
                      TollgateException.badInput(
                          rules.file()
                              + ": pull_request.gates names the gate '"
                              + id
                              + "', which is not installed")));
    }
    return new MergeGate(projectRoot, policy, rules, store, List.copyOf(list));
  }

  /** The policy. */
  public Policy policy() {
    return policy;
  }

  /** The pull-request rules. */
  public PullRequestRules rules() {
    return rules;
  }

  /** The gates evaluated, in order. */
  public List<Gate> gates() {
    return gates;
  }

  /**
   * Whether evaluating may read the pull request's approvals: the {@code required-approvals} gate
   * runs and requires at least one, or a custom gate runs (it may read any fact). When false, the
   * approvals need not be looked up (on GitHub, the pull request's reviews are not listed).
   */
  public boolean readsApprovals() {
    return customGates()
        || (runs(PullRequestGates.REQUIRED_APPROVALS) && rules.requiredApprovals() > 0);
  }

  /**
   * Whether evaluating may read the pull request's commit messages: a gate that looks for the work
   * item reference runs and {@code pull_request.work_item.from} includes {@code commits}, or a
   * custom gate runs.
   */
  public boolean readsCommitMessages() {
    return customGates()
        || ((runs(PullRequestGates.WORK_ITEM_REFERENCE) || runs(PullRequestGates.LANE_ELIGIBILITY))
            && rules.workItem().from().contains(PullRequestRules.ReferenceSource.COMMITS));
  }

  /**
   * Which facts beyond the change evaluating may read: {@link #readsApprovals()} and {@link
   * #readsCommitMessages()} together, for a {@link PullRequestSource} that looks up only those.
   */
  public Reads reads() {
    return new Reads(readsApprovals(), readsCommitMessages());
  }

  /**
   * Which facts beyond the change a merge gate may read, so that a source looks up only those.
   *
   * @param approvals the pull request's approvals (on GitHub, its reviews)
   * @param commitMessages the messages of its commits
   */
  public record Reads(boolean approvals, boolean commitMessages) {}

  private boolean runs(String id) {
    return gates.stream().anyMatch(g -> g.id().equals(id));
  }

  private boolean customGates() {
    java.util.Set<String> builtIn = new java.util.HashSet<>();
    PullRequestGates.all().forEach(g -> builtIn.add(g.id()));
    return gates.stream().anyMatch(g -> !builtIn.contains(g.id()));
  }

  /**
   * Evaluates every gate against {@code facts}.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when a gate finds bad input (such as an
   *     invalid Spec Kit configuration)
   */
  public MergeVerdict evaluate(PullRequestFacts facts, Clock clock) {
    Objects.requireNonNull(facts, "facts");
    Objects.requireNonNull(clock, "clock");
    Backlog backlog = store.backlog();
    Context context =
        new Context(projectRoot, Optional.empty(), clock, List.of(facts, rules, policy, backlog));
    List<GateResult> results = new ArrayList<>();
    Map<String, List<GateFinding>> findings = new LinkedHashMap<>();
    for (Gate gate : gates) {
      List<PullRequestGate.Outcome> own = new ArrayList<>(1);
      GateResult result =
          Verdict.guard(
              gate,
              () -> {
                PullRequestGate.Outcome outcome =
                    gate instanceof PullRequestGate p
                        ? p.evaluateWithFindings(context)
                        : new PullRequestGate.Outcome(gate.evaluate(context), List.of());
                own.add(outcome);
                return outcome.result();
              });
      results.add(result);
      // Findings go with the gate's own result; when the guard replaced it, they are dropped.
      if (!own.isEmpty() && own.get(0).result() == result && !own.get(0).findings().isEmpty()) {
        findings.put(gate.id(), own.get(0).findings());
      }
    }
    return new MergeVerdict(Verdict.of(results), findings);
  }

  /** The gate context of one merge-gate evaluation: facts looked up by type. */
  private record Context(
      Path projectRoot, Optional<String> actor, Clock clock, List<Object> allFacts)
      implements GateContext {
    @Override
    public <T> Optional<T> facts(Class<T> type) {
      for (Object f : allFacts) {
        if (type.isInstance(f)) {
          return Optional.of(type.cast(f));
        }
      }
      return Optional.empty();
    }
  }

  // --- reading the pull_request section ---

  private static PullRequestRules rules(ConfigDocument doc, Policy policy, GateRegistry registry) {
    JsonNode pr = doc.root().get("pull_request");
    if (pr == null || pr.isNull()) {
      return PullRequestRules.defaults(doc.file());
    }
    String base = "/pull_request";
    List<Diagnostic> errors = new ArrayList<>();
    Map<String, Location> keys = new HashMap<>();
    keys.put("pull_request", doc.locateKey(base));
    pr.fieldNames()
        .forEachRemaining(
            k -> keys.put("pull_request." + k, doc.locateKey(ConfigDocument.child(base, k))));

    List<String> gates = PullRequestGates.DEFAULT_ORDER;
    if (pr.has("gates")) {
      gates = new ArrayList<>();
      JsonNode list = pr.get("gates");
      for (int i = 0; i < list.size(); i++) {
        String g = list.get(i).asText();
        if (registry.find(g).isEmpty()) {
          String message =
              "pull_request.gates[" + i + "] names the gate '" + g + "', which is not installed";
          Optional<String> s = DidYouMean.suggest(g, registry.ids());
          if (s.isPresent()) {
            message += "; did you mean `" + s.get() + "`?";
          }
          errors.add(
              doc.error(
                  ConfigDocument.child(ConfigDocument.child(base, "gates"), i),
                  message,
                  "Installed pull-request gates: " + String.join(", ", registry.ids()) + "."));
        }
        gates.add(g);
      }
    }

    PullRequestRules.WorkItemReference ref = PullRequestRules.WorkItemReference.defaults();
    JsonNode wi = pr.path("work_item");
    if (wi.isObject()) {
      String wp = ConfigDocument.child(base, "work_item");
      Pattern pattern = ref.pattern();
      if (wi.has("pattern")) {
        try {
          pattern = Pattern.compile(wi.get("pattern").asText());
        } catch (PatternSyntaxException e) {
          errors.add(
              doc.error(
                  ConfigDocument.child(wp, "pattern"),
                  "pull_request.work_item.pattern is not a valid regular expression: "
                      + e.getDescription(),
                  "Use Java regex syntax, e.g. '^[a-z]+/(?<key>[A-Z]+-[0-9]+)'."));
        }
      }
      String id = wi.has("id") ? wi.get("id").asText() : ref.idTemplate();
      List<PullRequestRules.ReferenceSource> from = ref.from();
      if (wi.has("from")) {
        from = new ArrayList<>();
        for (JsonNode s : wi.get("from")) {
          from.add(PullRequestRules.ReferenceSource.valueOf(s.asText().toUpperCase(Locale.ROOT)));
        }
      }
      boolean mustExist = wi.path("must_exist").asBoolean(true);
      ref = new PullRequestRules.WorkItemReference(pattern, id, from, mustExist);
      keys.put("pull_request.work_item.pattern", doc.locate(ConfigDocument.child(wp, "pattern")));
    }

    List<String> lanes = new ArrayList<>();
    JsonNode el = pr.path("eligible_lanes");
    for (int i = 0; i < el.size(); i++) {
      String lane = el.get(i).asText();
      if (policy.lane(lane).isEmpty()) {
        String message =
            "pull_request.eligible_lanes["
                + i
                + "] names the lane '"
                + lane
                + "', which is not declared under lanes";
        Optional<String> s = DidYouMean.suggest(lane, policy.laneIds());
        if (s.isPresent()) {
          message += "; did you mean `" + s.get() + "`?";
        }
        errors.add(
            doc.error(
                ConfigDocument.child(ConfigDocument.child(base, "eligible_lanes"), i),
                message,
                "Declared lanes: " + String.join(", ", policy.laneIds()) + "."));
      }
      lanes.add(lane);
    }

    List<String> dirs = new ArrayList<>();
    JsonNode td = pr.path("touched_directories");
    for (int i = 0; i < td.size(); i++) {
      String d = td.get(i).asText().replace('\\', '/');
      while (d.startsWith("./")) {
        d = d.substring(2);
      }
      while (d.endsWith("/") && d.length() > 1) {
        d = d.substring(0, d.length() - 1);
      }
      if (d.startsWith("/") || d.equals("..") || d.startsWith("../") || d.contains("/../")) {
        errors.add(
            doc.error(
                ConfigDocument.child(ConfigDocument.child(base, "touched_directories"), i),
                "pull_request.touched_directories["
                    + i
                    + "] must be a folder relative to the repository root but was '"
                    + td.get(i).asText()
                    + "'",
                "Write folders like 'src/' or 'docs/api'; use '.' for the whole repository."));
      }
      dirs.add(d);
    }

    Set<String> labels = new java.util.TreeSet<>();
    pr.path("required_labels").forEach(n -> labels.add(n.asText()));
    List<String> exclude = new ArrayList<>();
    pr.path("secrets").path("exclude").forEach(n -> exclude.add(n.asText()));

    if (!errors.isEmpty()) {
      throw YamlConfig.invalid(doc.file(), errors);
    }
    return new PullRequestRules(
        doc.file(),
        gates,
        ref,
        lanes,
        pr.has("max_files") ? OptionalInt.of(pr.get("max_files").asInt()) : OptionalInt.empty(),
        pr.has("max_lines") ? OptionalLong.of(pr.get("max_lines").asLong()) : OptionalLong.empty(),
        dirs,
        labels,
        pr.path("required_approvals").asInt(0),
        pr.has("spec_kit")
            ? PullRequestRules.SpecKitScope.valueOf(
                pr.get("spec_kit").asText().toUpperCase(Locale.ROOT))
            : PullRequestRules.SpecKitScope.TOUCHED,
        exclude,
        keys);
  }
}
