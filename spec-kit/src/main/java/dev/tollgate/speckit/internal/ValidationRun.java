package dev.tollgate.speckit.internal;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.report.Report;
import dev.tollgate.core.report.Section;
import dev.tollgate.speckit.internal.Discovery.FileRef;
import dev.tollgate.speckit.internal.Discovery.Kind;
import dev.tollgate.speckit.internal.Discovery.Kit;
import dev.tollgate.speckit.internal.Discovery.KitType;
import dev.tollgate.speckit.internal.shared.RuleCatalog;
import dev.tollgate.speckit.internal.shared.SourceFile;
import dev.tollgate.speckit.internal.shared.SpecFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One run of the Spec Kit validator: discovers the kits under the targets, reads and checks every
 * file in parallel, applies the cross-file rules per kit, then the user's configuration. The report
 * is the same whatever the thread scheduling, because sections and findings are sorted.
 */
public final class ValidationRun {
  private ValidationRun() {}

  /**
   * What one file yielded: its text (for task rules), findings and the facts cross-file rules use.
   */
  private record Analysis(
      Optional<SourceFile> source,
      List<Diagnostic> findings,
      List<Integer> clarifications,
      Optional<SpecFacts> facts,
      Optional<TaskRulesBridge.Prepared> tasks,
      Optional<org.commonmark.node.Node> tree) {}

  /** A small spec, in the shape {@code /speckit.specify} writes, that {@link #prepare} reads. */
  private static final String PREPARE_SAMPLE =
      String.join(
          "\n",
          "# Feature Specification: Prepare",
          "",
          "## User Scenarios & Testing *(mandatory)*",
          "",
          "### User Story 1 - Read a report (Priority: P1)",
          "",
          "**Acceptance Scenarios**:",
          "",
          "1. **Given** a kit, **When** it is read, **Then** a report is shown.",
          "",
          "## Requirements *(mandatory)*",
          "",
          "- **FR-001**: System MUST read [the kit](./spec.md).",
          "",
          "## Success Criteria *(mandatory)*",
          "",
          "- **SC-001**: A report within 1 second.",
          "");

  /**
   * Parses a small built-in spec and runs the spec rules over it, dropping the result: the first
   * validation in a JVM then finds the Markdown parser, the rules' patterns and the rule catalogue
   * set up. A front end calls it on another thread while it does its own start-up; it reads no
   * file.
   */
  public static void prepare() {
    MarkdownDoc doc = MarkdownDoc.parse(SourceFile.of("prepare/spec.md", PREPARE_SAMPLE));
    SpecRules.check(doc, false);
    RuleCatalog.all();
  }

  /**
   * Validates the targets.
   *
   * @throws TollgateException of kind BAD_INPUT when a target is missing or unreadable
   */
  public static Report run(List<Path> targets, Function<Diagnostic, Optional<Diagnostic>> config) {
    if (targets.isEmpty()) {
      throw TollgateException.badInput("no path to validate was given");
    }
    Map<String, Kit> kits = new LinkedHashMap<>();
    Map<String, Path> roots = new LinkedHashMap<>();
    boolean anyConstitution = false;
    boolean anyGithub = false;
    for (Path target : targets) {
      if (!Files.exists(target)) {
        throw TollgateException.badInput(target + ": no such file or folder");
      }
      if (!Files.isReadable(target)) {
        throw TollgateException.badInput(target + ": cannot be read (permission denied)");
      }
      Discovery.Result r = Discovery.discover(target);
      anyConstitution |= r.hasProjectConstitution();
      for (Kit k : r.kits()) {
        roots.putIfAbsent(k.path(), r.root());
        Kit existing = kits.get(k.path());
        if (existing == null) {
          kits.put(k.path(), k);
        } else {
          merge(existing, k);
        }
        anyGithub |= k.type() == KitType.FEATURE || k.type() == KitType.TEMPLATES;
      }
    }
    List<FileRef> files = new ArrayList<>();
    Map<FileRef, Path> fileRoots = new LinkedHashMap<>();
    for (Kit k : kits.values()) {
      for (FileRef f : k.files()) {
        files.add(f);
        fileRoots.put(f, roots.get(k.path()));
      }
    }
    Map<FileRef, Analysis> analyses = new ConcurrentHashMap<>();
    files.parallelStream().forEach(f -> analyses.put(f, analyze(f, fileRoots.get(f))));

    Kit project = kits.get("");
    boolean needsProjectConstitution =
        anyGithub || kits.values().stream().noneMatch(k -> k.type() == KitType.CLASSIC);
    if (project != null && !anyConstitution && needsProjectConstitution) {
      project
          .findings()
          .add(
              Findings.of(
                  "SK004",
                  Location.ofFile(".specify/memory/constitution.md"),
                  "no constitution found at .specify/memory/constitution.md or"
                      + " memory/constitution.md",
                  "Run /speckit.constitution, or write the project's principles to"
                      + " .specify/memory/constitution.md."));
    }
    if (project != null) {
      yamlStages(kits.values()).ifPresent(project.findings()::add);
    }
    final boolean projectConstitution = anyConstitution;
    List<Section> sections =
        kits.values().parallelStream()
            .map(
                k ->
                    rebase(
                        section(k, analyses, projectConstitution, config),
                        repositoryPrefix(roots.get(k.path()))))
            .toList();
    return new Report("spec-kit", "Spec Kit validation", sections, RuleCatalog.all(), files.size());
  }

  /**
   * The folder the paths of a report on {@code target} are relative to: the root of the Git
   * repository that holds the target's project, or the project root when there is no repository.
   *
   * @throws TollgateException of kind BAD_INPUT when the target cannot be resolved
   */
  public static Path reportRoot(Path target) {
    Path t = Discovery.realPath(target);
    Path start = Files.isDirectory(t) ? t : t.getParent();
    Path projectRoot = Discovery.findRoot(start);
    for (Path q = projectRoot; q != null; q = q.getParent()) {
      if (Files.exists(q.resolve(".git"))) {
        return q;
      }
    }
    return projectRoot;
  }

  /**
   * Where the project root lies inside its git repository, {@code /}-separated ({@code
   * examples/demo}), or empty when the project root is the repository root or there is no
   * repository. Rules work relative to the project root (where {@code .specify/} and {@code
   * .tollgate/} are); reports use repository-relative paths, which annotations and SARIF need.
   */
  static String repositoryPrefix(Path projectRoot) {
    if (projectRoot == null) {
      return "";
    }
    for (Path q = projectRoot; q != null; q = q.getParent()) {
      if (Files.exists(q.resolve(".git"))) {
        return q.relativize(projectRoot).toString().replace('\\', '/');
      }
    }
    return "";
  }

  /** The section with the prefix put in front of its path and every finding's file. */
  private static Section rebase(Section s, String prefix) {
    if (prefix.isEmpty()) {
      return s;
    }
    List<Diagnostic> moved = new ArrayList<>(s.findings().size());
    for (Diagnostic d : s.findings()) {
      Location l = d.location();
      String file = l.file().isEmpty() ? prefix : prefix + "/" + l.file();
      moved.add(
          new Diagnostic(
              d.severity(),
              d.ruleId(),
              d.message(),
              new Location(file, l.line(), l.column()),
              d.hint(),
              d.docsUrl()));
    }
    // The project-level section keeps its empty path: it stands for the project, not a folder.
    String path = s.path().isEmpty() ? "" : prefix + "/" + s.path();
    return new Section(s.name(), path, moved);
  }

  private static void merge(Kit into, Kit from) {
    for (FileRef f : from.files()) {
      if (into.files().stream().noneMatch(g -> g.rel().equals(f.rel()))) {
        into.files().add(f);
      }
    }
    for (Diagnostic d : from.findings()) {
      if (!into.findings().contains(d)) {
        into.findings().add(d);
      }
    }
    from.yamlStages().forEach(into.yamlStages()::putIfAbsent);
  }

  private static Analysis analyze(FileRef f, Path root) {
    try {
      FileLoader.Loaded loaded = FileLoader.load(f.path(), f.rel());
      List<Diagnostic> out = new ArrayList<>(loaded.findings());
      if (loaded.source().isEmpty()) {
        return new Analysis(
            Optional.empty(), out, List.of(), Optional.empty(), Optional.empty(), Optional.empty());
      }
      SourceFile src = loaded.source().get();
      MarkdownDoc doc = MarkdownDoc.parse(src);
      TextRules.Result text = TextRules.scan(doc, root);
      if (text.findings().stream().anyMatch(d -> d.ruleId().equals("SK032"))) {
        // Double-encoded text, reported by SK032 on the file as written. Every other rule reads
        // the file as it was meant ("## T2 ‚Äî Edge Function ‚è≥" is the heading "## T2 — Edge
        // Function ⏳"), while its locations still point into the file as written.
        SourceFile meant = TextRules.meant(src);
        if (meant != src) {
          for (Diagnostic d : text.findings()) {
            if (d.ruleId().equals("SK032")) {
              out.add(d);
            }
          }
          src = meant;
          doc = MarkdownDoc.parse(src);
          TextRules.Result again = TextRules.scan(doc, root);
          List<Diagnostic> rest = new ArrayList<>();
          for (Diagnostic d : again.findings()) {
            if (!d.ruleId().equals("SK032")) {
              rest.add(d);
            }
          }
          text = new TextRules.Result(rest, again.clarifications());
        }
      }
      out.addAll(text.findings());
      Optional<SpecFacts> facts = Optional.empty();
      switch (f.kind()) {
        case SPEC, PRD -> {
          SpecRules.Result r = SpecRules.check(doc, f.kind() == Kind.PRD);
          out.addAll(r.findings());
          facts = Optional.of(r.facts());
        }
        case PLAN -> out.addAll(StageRules.plan(doc));
        case CONSTITUTION -> out.addAll(StageRules.constitution(doc));
        case CHECKLIST -> out.addAll(StageRules.checklist(doc));
        default -> {}
      }
      // A tasks.md is read into the task model now, so that its tree can go; the task rules run
      // later, once the kit's spec facts are known. Should reading fail, the tree is kept and the
      // task rules read it again then, so the failure is reported as before.
      Optional<TaskRulesBridge.Prepared> tasks = Optional.empty();
      Optional<org.commonmark.node.Node> tree = Optional.empty();
      if (f.kind() == Kind.TASKS && doc.tree().isPresent()) {
        try {
          tasks = Optional.of(TaskRulesBridge.prepare(src, doc.tree().get()));
        } catch (RuntimeException | StackOverflowError e) {
          tree = doc.tree();
        }
      }
      return new Analysis(Optional.of(src), out, text.clarifications(), facts, tasks, tree);
    } catch (TollgateException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          f.rel() + ": internal error while validating: " + e,
          e);
    }
  }

  private static Section section(
      Kit kit,
      Map<FileRef, Analysis> analyses,
      boolean projectConstitution,
      Function<Diagnostic, Optional<Diagnostic>> config) {
    List<Diagnostic> raw = new ArrayList<>(kit.findings());
    Map<Kind, FileRef> top = new LinkedHashMap<>();
    for (FileRef f : kit.files()) {
      raw.addAll(analyses.get(f).findings());
      if (f.kind() != Kind.OTHER && f.kind() != Kind.CHECKLIST) {
        top.putIfAbsent(f.kind(), f);
      }
    }
    boolean stageKit = kit.type() == KitType.FEATURE || kit.type() == KitType.CLASSIC;
    if (stageKit) {
      requiredFiles(kit, top, raw);
    }
    if (kit.type() == KitType.CLASSIC
        && !top.containsKey(Kind.CONSTITUTION)
        && !projectConstitution) {
      raw.add(
          Findings.of(
              "SK004",
              Location.ofFile(kit.path() + "/constitution.md"),
              "classic kit " + kit.name() + " has no constitution.md and the project has none",
              "Add constitution.md to the kit, or a project constitution at"
                  + " .specify/memory/constitution.md."));
    }
    boolean hasPlan = stageKit && top.containsKey(Kind.PLAN);
    for (FileRef f : kit.files()) {
      if (f.kind() == Kind.SPEC || f.kind() == Kind.PRD || f.kind() == Kind.PLAN) {
        clarifications(f, analyses.get(f), hasPlan, raw);
      }
    }
    for (FileRef f : kit.files()) {
      Analysis a = analyses.get(f);
      if (f.kind() == Kind.TASKS && a.source().isPresent()) {
        Optional<SpecFacts> facts = factsOf(top.get(Kind.SPEC), analyses);
        if (facts.isEmpty()) {
          facts = factsOf(top.get(Kind.PRD), analyses);
        }
        boolean github = kit.type() != KitType.CLASSIC;
        try {
          raw.addAll(
              a.tasks().isPresent()
                  ? TaskRulesBridge.check(a.tasks().get(), github, facts)
                  : TaskRulesBridge.check(a.source().get(), a.tree(), github, facts));
        } catch (TollgateException e) {
          throw e;
        } catch (RuntimeException | StackOverflowError e) {
          throw new TollgateException(
              TollgateException.Kind.COULD_NOT_FINISH,
              f.rel() + ": internal error in the task rules: " + e,
              e);
        }
      }
    }
    List<Diagnostic> kept = new ArrayList<>();
    for (Diagnostic d : raw) {
      config.apply(d).ifPresent(kept::add);
    }
    return new Section(kit.name(), kit.path(), kept);
  }

  private static Optional<SpecFacts> factsOf(FileRef f, Map<FileRef, Analysis> analyses) {
    return f == null ? Optional.empty() : analyses.get(f).facts();
  }

  private static void requiredFiles(Kit kit, Map<Kind, FileRef> top, List<Diagnostic> raw) {
    // Some tools keep the stages as YAML (spec.yaml, plan.yaml, tasks.yaml). Such a stage exists:
    // its content is not validated (SK035 says so once per run), but it is not missing either.
    Map<String, String> yaml = kit.yamlStages();
    boolean spec =
        top.containsKey(Kind.SPEC) || top.containsKey(Kind.PRD) || yaml.containsKey("spec");
    boolean plan = top.containsKey(Kind.PLAN) || yaml.containsKey("plan");
    String tasks = top.containsKey(Kind.TASKS) ? top.get(Kind.TASKS).rel() : yaml.get("tasks");
    if (tasks != null && !plan) {
      raw.add(
          Findings.of(
              "SK001",
              Location.ofFile(tasks),
              fileName(tasks) + " exists but plan.md is missing in " + kit.path(),
              "Run /speckit.plan before /speckit.tasks, or remove " + fileName(tasks) + "."));
    }
    if (!spec) {
      String later =
          top.containsKey(Kind.PLAN)
              ? top.get(Kind.PLAN).rel()
              : yaml.containsKey("plan") ? yaml.get("plan") : tasks;
      if (later != null) {
        raw.add(
            Findings.of(
                "SK001",
                Location.ofFile(later),
                fileName(later) + " exists but spec.md (or prd.md) is missing in " + kit.path(),
                "Write the specification first (/speckit.specify)."));
      } else {
        raw.add(
            Findings.of(
                "SK001",
                Location.ofFile(kit.path()),
                (kit.type() == KitType.CLASSIC ? "kit " : "feature folder ")
                    + kit.path()
                    + " has no spec.md (or prd.md)",
                "Write the specification (/speckit.specify), or remove the folder."));
      }
    }
  }

  private static String fileName(String rel) {
    return rel.substring(rel.lastIndexOf('/') + 1);
  }

  /**
   * SK035, once for the whole run: the feature folders whose stages exist only as YAML, which the
   * validator does not read, so that a user knows what was not checked without one finding per
   * folder.
   */
  private static Optional<Diagnostic> yamlStages(Iterable<Kit> kits) {
    List<String> folders = new ArrayList<>();
    String first = null;
    int files = 0;
    for (Kit k : kits) {
      if (k.type() != KitType.FEATURE && k.type() != KitType.CLASSIC) {
        continue;
      }
      List<String> unread = new ArrayList<>();
      for (Map.Entry<String, String> e : k.yamlStages().entrySet()) {
        Kind md =
            switch (e.getKey()) {
              case "spec" -> Kind.SPEC;
              case "plan" -> Kind.PLAN;
              default -> Kind.TASKS;
            };
        boolean asMarkdown =
            k.files().stream()
                .anyMatch(f -> f.kind() == md || (md == Kind.SPEC && f.kind() == Kind.PRD));
        if (!asMarkdown) {
          unread.add(fileName(e.getValue()));
          if (first == null) {
            first = e.getValue();
          }
        }
      }
      if (!unread.isEmpty()) {
        files += unread.size();
        folders.add(k.path() + " (" + String.join(", ", unread) + ")");
      }
    }
    if (folders.isEmpty()) {
      return Optional.empty();
    }
    int shown = Math.min(folders.size(), 5);
    String list = String.join(", ", folders.subList(0, shown));
    if (folders.size() > shown) {
      list += " and " + (folders.size() - shown) + " more";
    }
    return Optional.of(
        Findings.of(
            "SK035",
            Location.ofFile(first),
            (folders.size() == 1
                    ? "1 feature folder keeps "
                    : folders.size() + " feature folders keep ")
                + (files == 1 ? "a stage" : files + " stages")
                + " as YAML, which the validator does not read: "
                + list,
            "Their Markdown files are validated; the YAML stages are not. Write them as spec.md,"
                + " plan.md and tasks.md to have them checked, or set SK035 to off."));
  }

  private static void clarifications(FileRef f, Analysis a, boolean hasPlan, List<Diagnostic> raw) {
    if (a.source().isEmpty() || a.clarifications().isEmpty()) {
      return;
    }
    SourceFile src = a.source().get();
    String name = f.rel().substring(f.rel().lastIndexOf('/') + 1);
    Severity each = hasPlan ? Severity.ERROR : Severity.WARNING;
    for (int offset : a.clarifications()) {
      raw.add(
          Findings.of(
              "SK008",
              each,
              Findings.locate(src, offset),
              "unresolved [NEEDS CLARIFICATION] in "
                  + name
                  + (!hasPlan
                      ? ""
                      : f.kind() == Kind.PLAN
                          ? ": the plan must settle it before tasks are derived from it"
                          : " although plan.md already exists"),
              "Answer the question (/speckit.clarify) and replace the marker with the decision."));
    }
    int n = a.clarifications().size();
    if (n > 3 && f.kind() != Kind.PLAN) {
      raw.add(
          Findings.of(
              "SK008",
              Severity.WARNING,
              Findings.locate(src, a.clarifications().get(3)),
              name + " has " + n + " [NEEDS CLARIFICATION] markers; expected at most 3",
              "Make informed guesses for the minor questions and keep only the 3 that matter"
                  + " most."));
    }
  }
}
