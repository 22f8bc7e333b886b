package dev.tollgate.policy;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.gate.Gate;
import dev.tollgate.core.gate.GateContext;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.core.repo.ChangedFile;
import dev.tollgate.core.report.Report;
import dev.tollgate.core.report.Section;
import dev.tollgate.core.workitem.Backlog;
import dev.tollgate.core.workitem.FileWorkItemStore;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.policy.PullRequestRules.ReferenceSource;
import dev.tollgate.policy.PullRequestRules.SpecKitScope;
import dev.tollgate.policy.internal.Glob;
import dev.tollgate.policy.internal.SecretScanner;
import dev.tollgate.speckit.SpecKitConfigLoader;
import dev.tollgate.speckit.SpecKitValidator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The built-in pull-request gates; each reads {@link PullRequestFacts} and {@link PullRequestRules}
 * (and where needed the {@link Policy} and {@link Backlog}) from the context.
 */
final class PullRequestGateSet {
  /** The most locations one gate reports; the reason says how many more there are. */
  static final int MAX_FINDINGS = 100;

  private PullRequestGateSet() {}

  /** Every gate of this class, sorted by id. */
  public static List<Gate> all() {
    return List.<Gate>of(
            new WorkItemReference(),
            new LaneEligibility(),
            new PrSize(),
            new TouchedDirectories(),
            new RequiredLabels(),
            new RequiredApprovals(),
            new SpecKit(),
            new Secrets())
        .stream()
        .sorted(Comparator.comparing(Gate::id))
        .toList();
  }

  /** The facts a pull-request gate reads. */
  record Facts(PullRequestFacts pr, PullRequestRules rules, Policy policy, Backlog backlog) {}

  /** A gate that needs the pull-request facts; without them it reports an error, not a pass. */
  abstract static class PrGate implements PullRequestGate {
    @Override
    public final Outcome evaluateWithFindings(GateContext context) {
      Optional<PullRequestFacts> pr = context.facts(PullRequestFacts.class);
      if (pr.isEmpty()) {
        return new Outcome(
            GateResult.error(
                id(),
                "gate " + id() + " evaluates pull requests, but no pull request was given",
                Recovery.of(
                    "The gate " + id() + " was asked about something that is not a pull request",
                    "gate " + id() + " reads PullRequestFacts",
                    "Use " + id() + " only in pull_request.gates and run it with tollgate gate",
                    "Retrying gives the same error")),
            List.of());
      }
      PullRequestRules rules =
          context
              .facts(PullRequestRules.class)
              .orElseGet(() -> PullRequestRules.defaults(".tollgate/policy.yml"));
      Optional<Policy> policy = context.facts(Policy.class);
      Backlog backlog = context.facts(Backlog.class).orElseGet(() -> Backlog.of(List.of()));
      return evaluate(context, new Facts(pr.get(), rules, policy.orElse(null), backlog));
    }

    abstract Outcome evaluate(GateContext context, Facts f);

    Outcome pass(String reason) {
      return new Outcome(GateResult.pass(id(), reason), List.of());
    }

    Outcome blocked(
        String reason,
        String cause,
        String policy,
        String next,
        String retry,
        List<GateFinding> findings) {
      return new Outcome(
          GateResult.blocked(id(), reason, Recovery.of(cause, policy, next, retry)), findings);
    }
  }

  /** The work-item id the PR references, and where it was found, if anywhere. */
  record Reference(String id, String source, String text) {}

  static Optional<Reference> reference(Facts f) {
    PullRequestRules.WorkItemReference ref = f.rules().workItem();
    for (ReferenceSource source : ref.from()) {
      List<String> texts =
          switch (source) {
            case BRANCH -> f.pr().branch().stream().toList();
            case TITLE -> f.pr().title().stream().toList();
            case COMMITS -> f.pr().commitMessages();
          };
      for (String text : texts) {
        Optional<String> id = ref.find(text);
        if (id.isPresent()) {
          return Optional.of(
              new Reference(id.get(), source.name().toLowerCase(Locale.ROOT), firstLine(text)));
        }
      }
    }
    return Optional.empty();
  }

  static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  static String itemFile(String id) {
    return FileWorkItemStore.DIRECTORY + "/" + id + ".yml";
  }

  static final class WorkItemReference extends PrGate {
    @Override
    public String id() {
      return PullRequestGates.WORK_ITEM_REFERENCE;
    }

    @Override
    public String description() {
      return "The PR's branch or title references a work item (e.g. bf/BF-274-short-name → wi-BF-274).";
    }

    @Override
    Outcome evaluate(GateContext context, Facts f) {
      PullRequestRules.WorkItemReference ref = f.rules().workItem();
      String where =
          String.join(
              " or ", ref.from().stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toList());
      String policy =
          "pull_request.work_item: pattern "
              + ref.pattern().pattern()
              + ", id "
              + ref.idTemplate()
              + ", from "
              + where;
      Location at = f.rules().locate("pull_request.work_item");
      Optional<Reference> found = reference(f);
      if (found.isEmpty()) {
        String seen = f.pr().branch().map(b -> "branch " + b).orElse("no branch name");
        seen += f.pr().title().map(t -> ", title \"" + t + "\"").orElse(", no title");
        return blocked(
            "no work item is referenced in the " + where + " (" + seen + ")",
            "Every pull request must name the work item it delivers, and none of the "
                + where
                + " matches "
                + ref.pattern().pattern(),
            policy,
            "Rename the branch like bf/BF-274-short-name or put the item's key (e.g. BF-274) in"
                + " the PR title",
            "Safe to retry once the branch or title names a work item",
            List.of(new GateFinding(at, "no work item referenced in the " + where)));
      }
      Reference r = found.get();
      if (ref.mustExist() && f.backlog().find(r.id()).isEmpty()) {
        return blocked(
            "the " + r.source() + " references " + r.id() + ", which does not exist",
            "The "
                + r.source()
                + " \""
                + r.text()
                + "\" names "
                + r.id()
                + ", but "
                + itemFile(r.id())
                + " does not exist",
            policy + ", must_exist: true",
            "Create " + itemFile(r.id()) + " (or fix the key in the " + r.source() + ")",
            "Safe to retry once the work item exists",
            List.of(new GateFinding(at, r.id() + " is referenced but does not exist")));
      }
      return pass("the " + r.source() + " \"" + r.text() + "\" references " + r.id());
    }
  }

  static final class LaneEligibility extends PrGate {
    @Override
    public String id() {
      return PullRequestGates.LANE_ELIGIBILITY;
    }

    @Override
    public String description() {
      return "The work item the PR references is in a lane eligible for merging.";
    }

    @Override
    Outcome evaluate(GateContext context, Facts f) {
      Optional<Reference> ref = reference(f);
      Location at = f.rules().locate("pull_request.eligible_lanes");
      Optional<WorkItem> item = ref.flatMap(r -> f.backlog().find(r.id()));
      if (item.isEmpty()) {
        return blocked(
            ref.isEmpty()
                ? "no work item is referenced, so its lane cannot be checked"
                : ref.get().id() + " does not exist, so its lane cannot be checked",
            "Lane eligibility needs the work item the PR delivers; see work-item-reference",
            "pull_request.eligible_lanes",
            "Fix work-item-reference first",
            "Safe to retry once the PR references an existing work item",
            List.of());
      }
      WorkItem w = item.get();
      List<String> eligible = eligible(f);
      String policy =
          f.rules().eligibleLanes().isEmpty()
              ? "pull_request.eligible_lanes is not set: every lane that is not terminal"
              : "pull_request.eligible_lanes: [" + String.join(", ", eligible) + "]";
      if (eligible.contains(w.lane())) {
        return pass(w.id() + " is in lane " + w.lane() + ", which is eligible");
      }
      List<GateFinding> where = new ArrayList<>();
      where.add(
          new GateFinding(Location.ofFile(itemFile(w.id())), w.id() + " is in lane " + w.lane()));
      return blocked(
          w.id() + " is in lane " + w.lane() + ", which is not eligible for merging",
          "Pull requests merge only work items in "
              + (eligible.isEmpty() ? "no lane" : String.join(", ", eligible))
              + "; "
              + w.id()
              + " is in "
              + w.lane(),
          policy,
          eligible.isEmpty()
              ? "Declare eligible lanes in pull_request.eligible_lanes"
              : "Move "
                  + w.id()
                  + " to one of "
                  + String.join(", ", eligible)
                  + " (tollgate items do "
                  + w.id()
                  + " ACTION), or reference another item",
          "Safe to retry once the item is in an eligible lane",
          where);
    }

    private static List<String> eligible(Facts f) {
      if (!f.rules().eligibleLanes().isEmpty()) {
        return f.rules().eligibleLanes();
      }
      if (f.policy() == null) {
        return List.of();
      }
      return f.policy().lanes().stream().filter(l -> !l.terminal()).map(Lane::id).toList();
    }
  }

  static final class PrSize extends PrGate {
    @Override
    public String id() {
      return PullRequestGates.PR_SIZE;
    }

    @Override
    public String description() {
      return "The PR changes at most pull_request.max_files files and max_lines lines.";
    }

    @Override
    Outcome evaluate(GateContext context, Facts f) {
      int files = f.pr().changes().fileCount();
      long lines = f.pr().changes().changedLines();
      String size =
          files
              + (files == 1 ? " file" : " files")
              + " and "
              + lines
              + (lines == 1 ? " line" : " lines")
              + " changed";
      var maxFiles = f.rules().maxFiles();
      var maxLines = f.rules().maxLines();
      if (maxFiles.isEmpty() && maxLines.isEmpty()) {
        return pass(size + "; no size limit is configured");
      }
      List<String> over = new ArrayList<>();
      List<GateFinding> where = new ArrayList<>();
      List<String> policy = new ArrayList<>();
      if (maxFiles.isPresent()) {
        policy.add("pull_request.max_files: " + maxFiles.getAsInt());
        if (files > maxFiles.getAsInt()) {
          over.add(files + " files changed; the limit is " + maxFiles.getAsInt());
          where.add(
              new GateFinding(
                  f.rules().locate("pull_request.max_files"), over.get(over.size() - 1)));
        }
      }
      if (maxLines.isPresent()) {
        policy.add("pull_request.max_lines: " + maxLines.getAsLong());
        if (lines > maxLines.getAsLong()) {
          over.add(lines + " lines changed; the limit is " + maxLines.getAsLong());
          where.add(
              new GateFinding(
                  f.rules().locate("pull_request.max_lines"), over.get(over.size() - 1)));
        }
      }
      if (over.isEmpty()) {
        return pass(size + ", within " + String.join(" and ", policy));
      }
      return blocked(
          String.join("; ", over),
          "The PR is larger than the policy allows: " + String.join("; ", over),
          String.join(", ", policy),
          "Split the PR into smaller ones (for example one per folder or concern), each under the"
              + " limits",
          "Safe to retry after the PR is split; retrying unchanged stays blocked",
          where);
    }
  }

  static final class TouchedDirectories extends PrGate {
    @Override
    public String id() {
      return PullRequestGates.TOUCHED_DIRECTORIES;
    }

    @Override
    public String description() {
      return "Every changed path is inside a folder of pull_request.touched_directories.";
    }

    @Override
    Outcome evaluate(GateContext context, Facts f) {
      List<String> dirs = f.rules().touchedDirectories();
      if (dirs.isEmpty() || dirs.contains(".")) {
        return pass("any path may change; pull_request.touched_directories is not restricted");
      }
      Set<String> outside = new TreeSet<>();
      for (ChangedFile c : f.pr().changes().files()) {
        if (!inside(c.path(), dirs)) {
          outside.add(c.path());
        }
        c.oldPath().filter(p -> !inside(p, dirs)).ifPresent(outside::add);
      }
      String allowed = String.join(", ", dirs.stream().map(d -> d + "/").toList());
      if (outside.isEmpty()) {
        return pass("every changed path is inside " + allowed);
      }
      List<GateFinding> where = new ArrayList<>();
      for (String p : outside) {
        if (where.size() == MAX_FINDINGS) {
          break;
        }
        where.add(new GateFinding(Location.ofFile(p), p + " is outside " + allowed));
      }
      String first = outside.iterator().next();
      return blocked(
          outside.size()
              + (outside.size() == 1 ? " changed path is" : " changed paths are")
              + " outside the allowed folders, e.g. "
              + first,
          "This repository accepts PR changes only inside "
              + allowed
              + "; "
              + first
              + more(outside.size() - 1)
              + " is outside",
          "pull_request.touched_directories: [" + allowed + "]",
          "Move the change to an allowed folder, split the out-of-scope files into a separate PR,"
              + " or ask a policy owner to extend pull_request.touched_directories",
          "Safe to retry once no changed path is outside the allowed folders",
          where);
    }

    private static boolean inside(String path, List<String> dirs) {
      for (String d : dirs) {
        if (path.equals(d) || path.startsWith(d + "/")) {
          return true;
        }
      }
      return false;
    }
  }

  static String more(int n) {
    return n <= 0 ? "" : " (and " + n + " more)";
  }

  static final class RequiredLabels extends PrGate {
    @Override
    public String id() {
      return PullRequestGates.REQUIRED_LABELS;
    }

    @Override
    public String description() {
      return "The PR carries every label in pull_request.required_labels.";
    }

    @Override
    Outcome evaluate(GateContext context, Facts f) {
      Set<String> required = f.rules().requiredLabels();
      if (required.isEmpty()) {
        return pass("no labels are required");
      }
      Set<String> missing = new TreeSet<>(required);
      missing.removeAll(f.pr().labels());
      if (missing.isEmpty()) {
        return pass("the PR carries every required label: " + String.join(", ", required));
      }
      String labels =
          f.pr().labels().isEmpty()
              ? "no labels were given (locally pass --label; in GitHub Actions the PR's labels are"
                  + " read)"
              : "it has " + String.join(", ", f.pr().labels());
      return blocked(
          "missing required labels: " + String.join(", ", missing),
          "The PR must carry " + String.join(", ", required) + "; " + labels,
          "pull_request.required_labels: [" + String.join(", ", required) + "]",
          "Add the label"
              + (missing.size() == 1 ? " " : "s ")
              + String.join(", ", missing)
              + " to the PR",
          "Safe to retry after labelling; the check reads the labels again",
          List.of(
              new GateFinding(
                  f.rules().locate("pull_request.required_labels"),
                  "missing labels: " + String.join(", ", missing))));
    }
  }

  static final class RequiredApprovals extends PrGate {
    @Override
    public String id() {
      return PullRequestGates.REQUIRED_APPROVALS;
    }

    @Override
    public String description() {
      return "The PR has at least pull_request.required_approvals approving reviews.";
    }

    @Override
    Outcome evaluate(GateContext context, Facts f) {
      int required = f.rules().requiredApprovals();
      if (required == 0) {
        return pass("no approvals are required");
      }
      String policy = "pull_request.required_approvals: " + required;
      Location at = f.rules().locate("pull_request.required_approvals");
      if (f.pr().approvals().isEmpty()) {
        return blocked(
            "approvals are unknown; " + required + " required",
            "Tollgate has no review information: locally it cannot see GitHub reviews, and none"
                + " were given",
            policy,
            "In GitHub Actions the PR's reviews are read; locally pass --approvals N to check the"
                + " rest of the gate",
            "Safe to retry; this stays blocked until approvals are known",
            List.of(new GateFinding(at, "approvals unknown; " + required + " required")));
      }
      int have = f.pr().approvals().getAsInt();
      if (have >= required) {
        return pass(have + " of " + required + " required approvals");
      }
      return blocked(
          have + " of " + required + " required approvals",
          "The PR needs " + required + " approving reviews and has " + have,
          policy,
          "Request " + (required - have) + " more review" + (required - have == 1 ? "" : "s"),
          "Safe to retry after more reviewers approve",
          List.of(new GateFinding(at, have + " of " + required + " approvals")));
    }
  }

  static final class SpecKit extends PrGate {
    @Override
    public String id() {
      return PullRequestGates.SPEC_KIT;
    }

    @Override
    public String description() {
      return "Every Spec Kit (or every kit the PR touches) validates without errors.";
    }

    @Override
    Outcome evaluate(GateContext context, Facts f) {
      SpecKitScope scope = f.rules().specKit();
      String policy = "pull_request.spec_kit: " + scope.name().toLowerCase(Locale.ROOT);
      if (scope == SpecKitScope.OFF) {
        return pass("Spec Kit validation is off");
      }
      Set<String> changed = new LinkedHashSet<>();
      for (ChangedFile c : f.pr().changes().files()) {
        changed.add(c.path());
        c.oldPath().ifPresent(changed::add);
      }
      if (scope == SpecKitScope.TOUCHED && changed.stream().noneMatch(SpecKit::kitPath)) {
        return pass("the PR changes no Spec Kit file");
      }
      Report report =
          new SpecKitValidator(SpecKitConfigLoader.load(context.projectRoot()))
              .validate(List.of(context.projectRoot()));
      List<Section> kits = new ArrayList<>();
      for (Section s : report.sections()) {
        if (scope == SpecKitScope.ALL || touched(s, changed)) {
          kits.add(s);
        }
      }
      List<Diagnostic> errors =
          kits.stream()
              .flatMap(s -> s.findings().stream())
              .filter(d -> d.severity() == Severity.ERROR)
              .sorted()
              .toList();
      String what = scope == SpecKitScope.ALL ? "kit" : "touched kit";
      if (errors.isEmpty()) {
        return pass(
            kits.size() == 1
                ? "1 " + what + " validates without errors"
                : kits.size() + " " + what + "s validate without errors");
      }
      List<GateFinding> where = new ArrayList<>();
      for (Diagnostic d : errors) {
        if (where.size() == MAX_FINDINGS) {
          break;
        }
        where.add(new GateFinding(d.location(), d.ruleId() + " " + d.message()));
      }
      Diagnostic first = errors.get(0);
      return blocked(
          errors.size()
              + " Spec Kit error"
              + (errors.size() == 1 ? "" : "s")
              + " in the "
              + what
              + ", first "
              + first.location()
              + " "
              + first.ruleId(),
          "Spec Kit documents the PR depends on break the rule catalog: "
              + first.ruleId()
              + " "
              + first.message()
              + more(errors.size() - 1),
          policy,
          "Run tollgate spec-kit validate and fix each error (every rule page says how)",
          "Safe to retry once tollgate spec-kit validate reports no errors",
          where);
    }

    static boolean kitPath(String p) {
      return p.startsWith("specs/")
          || p.startsWith("spec/")
          || p.startsWith(".specify/")
          || p.startsWith("memory/")
          || p.contains("/specs/")
          || p.contains("/spec/")
          || p.contains("/.specify/")
          || p.equals(SpecKitConfigLoader.DEFAULT_PATH);
    }

    private static boolean touched(Section s, Set<String> changed) {
      for (String p : changed) {
        if (!s.path().isEmpty() && (p.equals(s.path()) || p.startsWith(s.path() + "/"))) {
          return true;
        }
        if (s.path().isEmpty()
            && (p.startsWith(".specify/")
                || p.startsWith("memory/")
                || p.equals(SpecKitConfigLoader.DEFAULT_PATH))) {
          return true;
        }
        for (Diagnostic d : s.findings()) {
          if (d.location().file().equals(p)) {
            return true;
          }
        }
      }
      return false;
    }
  }

  static final class Secrets extends PrGate {
    @Override
    public String id() {
      return PullRequestGates.SECRETS;
    }

    @Override
    public String description() {
      return "No changed file contains an obvious secret: a private key, a cloud access key or a"
          + " token with a well-known prefix.";
    }

    @Override
    Outcome evaluate(GateContext context, Facts f) {
      List<Glob> exclude = f.rules().secretsExclude().stream().map(Glob::of).toList();
      List<GateFinding> where = new ArrayList<>();
      int hits = 0;
      int scanned = 0;
      Set<String> files = new TreeSet<>();
      for (ChangedFile c : f.pr().changes().files()) {
        if (!c.present() || c.binary() || exclude.stream().anyMatch(g -> g.matches(c.path()))) {
          continue;
        }
        Optional<byte[]> bytes = f.pr().content().read(c);
        if (bytes.isEmpty()) {
          continue;
        }
        scanned++;
        for (SecretScanner.Hit h : SecretScanner.scan(bytes.get())) {
          hits++;
          files.add(c.path());
          if (where.size() < MAX_FINDINGS) {
            where.add(
                new GateFinding(
                    Location.of(c.path(), h.line(), h.column()),
                    c.path() + ":" + h.line() + " contains what looks like " + h.kind()));
          }
        }
      }
      if (hits == 0) {
        return pass(
            "no secrets found in " + scanned + " changed " + (scanned == 1 ? "file" : "files"));
      }
      String first = where.get(0).message();
      String policy =
          f.rules().secretsExclude().isEmpty()
              ? "secrets gate: private keys, AWS access key ids, GitHub, Slack and Google tokens"
              : "secrets gate; pull_request.secrets.exclude: ["
                  + String.join(", ", f.rules().secretsExclude())
                  + "]";
      return blocked(
          hits
              + (hits == 1 ? " secret" : " secrets")
              + " found in "
              + files.size()
              + (files.size() == 1 ? " changed file" : " changed files")
              + ": "
              + first
              + more(hits - 1),
          "Secrets committed to Git stay in its history and leak to everyone who can read the"
              + " repository",
          policy,
          "Remove the secret from the file and the branch history (rewrite or squash the commits),"
              + " revoke and rotate it, and read it from a secret store or environment variable"
              + " instead",
          "Retry only after the secret is removed from every commit of the branch and rotated",
          where);
    }
  }
}
