package dev.tollgate.speckit.internal;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what to validate under a target: the project root, the layout, the constitution, the
 * feature folders (GitHub layout), the classic kits and the files in each. Symbolic links are
 * followed once: a link back into a folder already visited is reported (SK028), not walked.
 */
final class Discovery {
  /** What a kit file is, decided by its name and place. */
  enum Kind {
    SPEC,
    PRD,
    PLAN,
    TASKS,
    CONSTITUTION,
    CHECKLIST,
    OTHER
  }

  /** What a kit is. */
  enum KitType {
    PROJECT,
    FEATURE,
    CLASSIC,
    TEMPLATES
  }

  /**
   * A file to read: its absolute path, project-relative path and kind.
   *
   * <p>Its {@code equals} and {@code hashCode} are written out: a record's generated ones link
   * their method handles on first use, which costs a fresh JVM about 40 generated classes, and a
   * file reference is a map key on every validation (docs/benchmarks.md, "Runner start-up", fourth
   * round).
   */
  record FileRef(Path path, String rel, Kind kind) {
    @Override
    public boolean equals(Object o) {
      return o instanceof FileRef f
          && java.util.Objects.equals(path, f.path)
          && java.util.Objects.equals(rel, f.rel)
          && kind == f.kind;
    }

    @Override
    public int hashCode() {
      return (java.util.Objects.hashCode(path) * 31 + java.util.Objects.hashCode(rel)) * 31
          + java.util.Objects.hashCode(kind);
    }
  }

  /**
   * A unit of the report: the project, a feature, a classic kit or a templates folder. {@code
   * yamlStages} holds the stages some tools keep as YAML ({@code spec.yaml}, {@code plan.yaml},
   * {@code tasks.yaml}) directly in the folder, as stage name ({@code spec}, {@code plan}, {@code
   * tasks}) to project-relative path; the validator does not read them.
   */
  record Kit(
      String name,
      String path,
      KitType type,
      Path dir,
      List<FileRef> files,
      List<Diagnostic> findings,
      Map<String, String> yamlStages) {
    Kit(
        String name,
        String path,
        KitType type,
        Path dir,
        List<FileRef> files,
        List<Diagnostic> findings) {
      this(name, path, type, dir, files, findings, new LinkedHashMap<>());
    }
  }

  /** The stages a feature may keep as YAML, in the order they are written. */
  static final List<String> STAGES = List.of("spec", "plan", "tasks");

  private static final Pattern NUMBERED =
      Pattern.compile("^(\\d{3,})-([A-Za-z0-9][A-Za-z0-9._-]*)$");
  private static final Pattern TIMESTAMP =
      Pattern.compile("^(\\d{8}-\\d{6})-([A-Za-z0-9][A-Za-z0-9._-]*)$");
  private static final Pattern PREFIX = Pattern.compile("^(\\d{8}-\\d{6}|\\d+)[-_]");
  private static final Set<String> KIT_FILES =
      Set.of(
          "spec.md",
          "prd.md",
          "plan.md",
          "tasks.md",
          "research.md",
          "data-model.md",
          "quickstart.md",
          "spec.yaml",
          "spec.yml",
          "plan.yaml",
          "plan.yml",
          "tasks.yaml",
          "tasks.yml");
  private static final int MAX_DEPTH = 12;

  private final Path root;
  private final Set<Path> visited = new HashSet<>();
  private final Map<String, Kit> kits = new LinkedHashMap<>();
  private final Kit project;

  private Discovery(Path root) {
    this.root = root;
    this.project =
        new Kit("project", "", KitType.PROJECT, root, new ArrayList<>(), new ArrayList<>());
    kits.put("", project);
  }

  /** The project root of a target, its kits and whether it uses the GitHub layout. */
  record Result(Path root, List<Kit> kits, boolean hasProjectConstitution) {}

  /** Discovers the kits of one existing target (a file or folder). */
  static Result discover(Path target) {
    Path t = realPath(target);
    Path start = Files.isDirectory(t) ? t : t.getParent();
    Path root = findRoot(start);
    Discovery d = new Discovery(root);
    boolean constitution = d.constitutions();
    if (start.equals(root)) {
      d.scanRoot();
    } else if (isTemplates(start)) {
      d.templates(start);
    } else if (isFeature(start)) {
      Path parent = start.getParent();
      boolean classic =
          parent != null
              && parent.getFileName() != null
              && parent.getFileName().toString().equals("spec");
      d.visited.add(start);
      d.kit(start, classic ? KitType.CLASSIC : KitType.FEATURE);
    } else {
      boolean classic =
          start.getFileName() != null && start.getFileName().toString().equals("spec");
      d.specsDir(start, classic, 0);
    }
    return new Result(root, List.copyOf(d.kits.values()), constitution);
  }

  /** The project root: the nearest folder at or above {@code start} that holds a project marker. */
  static Path findRoot(Path start) {
    for (Path q = start; q != null; q = q.getParent()) {
      if (Files.exists(q.resolve(".git"))
          || Files.isDirectory(q.resolve(".specify"))
          || Files.isDirectory(q.resolve(".tollgate"))
          || Files.isRegularFile(q.resolve("memory/constitution.md"))
          || Files.isDirectory(q.resolve("specs"))
          || Files.isDirectory(q.resolve("spec"))) {
        return q;
      }
    }
    return start;
  }

  static Path realPath(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      throw new TollgateException(
          TollgateException.Kind.BAD_INPUT, p + ": cannot resolve path: " + e.getMessage(), e);
    }
  }

  private String rel(Path p) {
    String r = root.relativize(p).toString().replace('\\', '/');
    return r;
  }

  private boolean constitutions() {
    boolean found = false;
    for (String c : List.of(".specify/memory/constitution.md", "memory/constitution.md")) {
      Path p = root.resolve(c);
      if (Files.isRegularFile(p)) {
        project.files().add(new FileRef(p, c, Kind.CONSTITUTION));
        found = true;
      }
    }
    return found;
  }

  private void scanRoot() {
    visited.add(root);
    for (String s : List.of("specs", ".specify/specs")) {
      Path dir = root.resolve(s);
      if (Files.isDirectory(dir)) {
        specsDir(dir, false, 0);
      }
    }
    Path classic = root.resolve("spec");
    if (Files.isDirectory(classic)) {
      specsDir(classic, true, 0);
    }
  }

  /** A folder of feature folders (or, classic, of kits). */
  private void specsDir(Path dir, boolean classic, int depth) {
    if (!enter(dir, project)) {
      return;
    }
    List<Path> features = new ArrayList<>();
    for (Path child : list(dir, project)) {
      if (Files.isDirectory(child)) {
        String name = child.getFileName().toString();
        if (name.startsWith(".")) {
          continue;
        }
        if (classic) {
          if (enter(child, project)) {
            kit(child, KitType.CLASSIC);
          }
        } else if (isFeature(child)) {
          if (enter(child, project)) {
            features.add(child);
            kit(child, KitType.FEATURE);
          }
        } else if (depth < 2 && hasFeatureChildren(child)) {
          specsDir(child, false, depth + 1); // a grouping folder such as .specify/specs/feature/
        } else {
          // Loose notes (e.g. .specify/specs/explore/): only the generic text rules apply.
          if (enter(child, project)) {
            collect(child, project, 1);
          }
        }
      } else if (isMarkdown(child)) {
        project.files().add(new FileRef(child, rel(child), Kind.OTHER));
      }
    }
    if (!classic) {
      duplicatePrefixes(features);
    }
  }

  private void duplicatePrefixes(List<Path> features) {
    Map<String, Path> first = new TreeMap<>();
    for (Path f : features) {
      Matcher m = PREFIX.matcher(f.getFileName().toString());
      if (!m.find()) {
        continue;
      }
      String prefix = m.group(1);
      Path earlier = first.putIfAbsent(prefix, f);
      if (earlier != null) {
        project
            .findings()
            .add(
                Findings.of(
                    "SK002",
                    Location.ofFile(rel(f)),
                    "feature folders "
                        + rel(earlier)
                        + " and "
                        + rel(f)
                        + " share the number "
                        + prefix,
                    "Renumber "
                        + f.getFileName()
                        + " to the next free number, so tools that resolve"
                        + " a feature by number find exactly one."));
      }
    }
  }

  private void templates(Path dir) {
    visited.add(dir);
    Kit kit =
        new Kit(
            dir.getFileName().toString(),
            rel(dir),
            KitType.TEMPLATES,
            dir,
            new ArrayList<>(),
            new ArrayList<>());
    kits.put(kit.path(), kit);
    for (Path child : list(dir, kit)) {
      if (Files.isRegularFile(child) && isMarkdown(child)) {
        String n = child.getFileName().toString().toLowerCase(Locale.ROOT);
        Kind kind =
            switch (n) {
              case "spec-template.md" -> Kind.SPEC;
              case "plan-template.md" -> Kind.PLAN;
              case "tasks-template.md" -> Kind.TASKS;
              case "constitution-template.md" -> Kind.CONSTITUTION;
              case "checklist-template.md" -> Kind.CHECKLIST;
              default -> Kind.OTHER;
            };
        kit.files().add(new FileRef(child, rel(child), kind));
      }
    }
  }

  private void kit(Path dir, KitType type) {
    Kit kit =
        new Kit(
            dir.getFileName().toString(),
            rel(dir),
            type,
            dir,
            new ArrayList<>(),
            new ArrayList<>());
    kits.put(kit.path(), kit);
    if (type == KitType.FEATURE) {
      String name = dir.getFileName().toString();
      if (!NUMBERED.matcher(name).matches() && !TIMESTAMP.matcher(name).matches()) {
        kit.findings()
            .add(
                Findings.of(
                    "SK003",
                    Location.ofFile(kit.path()),
                    "feature folder '" + name + "' is not named NNN-slug or YYYYMMDD-HHMMSS-slug",
                    "Rename it, e.g. to 001-" + slug(name) + "."));
      }
    }
    collect(dir, kit, 0);
    for (String stage : STAGES) {
      for (String ext : List.of(".yaml", ".yml")) {
        Path p = dir.resolve(stage + ext);
        if (Files.isRegularFile(p)) {
          kit.yamlStages().putIfAbsent(stage, rel(p));
        }
      }
    }
  }

  private void collect(Path dir, Kit kit, int depth) {
    for (Path child : list(dir, kit)) {
      if (Files.isDirectory(child)) {
        if (depth < MAX_DEPTH
            && !child.getFileName().toString().startsWith(".")
            && enter(child, kit)) {
          collect(child, kit, depth + 1);
        }
      } else if (Files.isRegularFile(child) && isMarkdown(child)) {
        kit.files().add(new FileRef(child, rel(child), kindOf(kit, depth, dir, child)));
      }
    }
  }

  private static Kind kindOf(Kit kit, int depth, Path dir, Path file) {
    if (kit.type() == KitType.PROJECT) {
      return Kind.OTHER;
    }
    String n = file.getFileName().toString();
    if (depth == 0) {
      return switch (n) {
        case "spec.md" -> Kind.SPEC;
        case "prd.md" -> Kind.PRD;
        case "plan.md" -> Kind.PLAN;
        case "tasks.md" -> Kind.TASKS;
        case "constitution.md" -> kit.type() == KitType.CLASSIC ? Kind.CONSTITUTION : Kind.OTHER;
        default -> Kind.OTHER;
      };
    }
    return depth == 1 && dir.getFileName().toString().equals("checklists")
        ? Kind.CHECKLIST
        : Kind.OTHER;
  }

  /**
   * Marks a folder visited; false (with an SK028 finding) when it was already visited, which is how
   * a symbolic link loop shows up.
   */
  private boolean enter(Path dir, Kit kit) {
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      kit.findings()
          .add(
              Findings.of(
                  "SK028",
                  Location.ofFile(rel(dir)),
                  "folder " + rel(dir) + " cannot be resolved: " + e.getMessage(),
                  "Fix or remove the symbolic link."));
      return false;
    }
    if (!visited.add(real)) {
      if (Files.isSymbolicLink(dir)) {
        kit.findings()
            .add(
                Findings.of(
                    "SK028",
                    Location.ofFile(rel(dir)),
                    "symbolic link "
                        + rel(dir)
                        + " leads back to "
                        + describeReal(real)
                        + ", a folder already visited; it was not followed",
                    "Remove the link, or point it at a folder outside the kit."));
      }
      return false;
    }
    return true;
  }

  private String describeReal(Path real) {
    return real.startsWith(root)
        ? (rel(real).isEmpty() ? "the project root" : rel(real))
        : real.toString();
  }

  private List<Path> list(Path dir, Kit kit) {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isSymbolicLink(p) && !Files.exists(p)) {
          kit.findings()
              .add(
                  Findings.of(
                      "SK028",
                      Location.ofFile(rel(p)),
                      "symbolic link " + rel(p) + " points to a missing target",
                      "Fix or remove the link."));
          continue;
        }
        out.add(p);
      }
    } catch (IOException | SecurityException e) {
      throw new TollgateException(
          TollgateException.Kind.BAD_INPUT,
          rel(dir) + ": cannot list folder: " + e.getMessage(),
          e);
    }
    out.sort(null);
    return out;
  }

  private static boolean isMarkdown(Path p) {
    return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".md");
  }

  private static boolean isFeature(Path dir) {
    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
    if (PREFIX.matcher(name).find() && name.matches("^\\d{3,}.*")) {
      return true;
    }
    for (String f : KIT_FILES) {
      if (Files.isRegularFile(dir.resolve(f))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasFeatureChildren(Path dir) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && isFeature(p)) {
          return true;
        }
      }
    } catch (IOException | SecurityException e) {
      return false;
    }
    return false;
  }

  private static boolean isTemplates(Path dir) {
    if (dir.getFileName() == null || !dir.getFileName().toString().equals("templates")) {
      return false;
    }
    return Files.isRegularFile(dir.resolve("spec-template.md"))
        || Files.isRegularFile(dir.resolve("plan-template.md"))
        || Files.isRegularFile(dir.resolve("tasks-template.md"));
  }

  private static String slug(String name) {
    String s =
        name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    s = s.replaceFirst("^\\d+-", "");
    return s.isEmpty() ? "feature" : s;
  }
}
