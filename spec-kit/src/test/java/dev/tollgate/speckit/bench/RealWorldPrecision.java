package dev.tollgate.speckit.bench;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.report.Report;
import dev.tollgate.speckit.SpecKitConfig;
import dev.tollgate.speckit.SpecKitValidator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A harness (not a test) that validates a corpus of real Spec Kit repositories and measures the
 * validator's precision against findings classified by hand.
 *
 * <p>The corpus is a folder of {@code <owner>__<repo>/} folders (built by {@code
 * benchmarks/realworld/fetch-corpus.sh}). Every folder in a repository that holds a {@code specs/}
 * or {@code .specify/} folder is validated as a project. The harness prints, per rule and severity,
 * how many findings there are; the number of crashes; the findings whose location lies outside
 * their file; and, from the labels file ({@code repo,file,line,rule,label,reason} with label {@code
 * true}, {@code false} or {@code debatable}), the precision per rule, per severity and overall,
 * plus the labelled true findings that are no longer reported (lost defects).
 *
 * <pre>
 * java -cp ... dev.tollgate.speckit.bench.RealWorldPrecision CORPUS LABELS.csv[,MORE.csv] [FINDINGS.tsv]
 * </pre>
 */
public final class RealWorldPrecision {
  private RealWorldPrecision() {}

  /** One finding, flattened for matching against the labels. */
  record Finding(String repo, String file, int line, String rule, Severity severity, String msg) {
    String key() {
      return repo + "|" + file + "|" + line + "|" + rule;
    }
  }

  /** One hand-made classification. */
  record Label(String repo, String file, int line, String rule, String label, String reason) {
    String key() {
      return repo + "|" + file + "|" + line + "|" + rule;
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: RealWorldPrecision CORPUS LABELS.csv[,MORE.csv] [FINDINGS.tsv]");
      System.exit(2);
    }
    Path corpus = Path.of(args[0]);
    List<Path> labelFiles = new ArrayList<>();
    for (String name : args[1].split(",")) {
      labelFiles.add(Path.of(name));
    }
    PrintStream out = System.out;

    List<Finding> findings = new ArrayList<>();
    int crashes = 0;
    int outside = 0;
    int roots = 0;
    long bytes = 0;
    List<Path> repos;
    try (Stream<Path> s = Files.list(corpus)) {
      repos = s.filter(Files::isDirectory).filter(p -> !name(p).startsWith(".")).sorted().toList();
    }
    SpecKitValidator validator = new SpecKitValidator(SpecKitConfig.defaults());
    for (Path repo : repos) {
      for (Path root : kitRoots(repo)) {
        roots++;
        Report report;
        try {
          report = validator.validate(List.of(root));
        } catch (RuntimeException e) {
          crashes++;
          out.println("CRASH " + root + ": " + e);
          continue;
        }
        String prefix = repo.relativize(root).toString().replace('\\', '/');
        for (Diagnostic d : report.findings()) {
          Location loc = d.location();
          String file = prefix.isEmpty() ? loc.file() : prefix + "/" + loc.file();
          if (!inside(root, loc)) {
            outside++;
            out.println("OUTSIDE " + name(repo) + "/" + file + ":" + loc.line() + " " + d.ruleId());
          }
          findings.add(
              new Finding(
                  name(repo), file, loc.line(), d.ruleId(), d.severity(), oneLine(d.message())));
        }
      }
      bytes += size(repo);
    }

    out.printf(
        Locale.ROOT,
        "corpus: %d repositories, %d kit roots, %.2f MB; %d findings, %d crashes,"
            + " %d locations outside their file%n",
        repos.size(),
        roots,
        bytes / 1e6,
        findings.size(),
        crashes,
        outside);

    Map<String, int[]> perRule = new TreeMap<>();
    for (Finding f : findings) {
      int[] c = perRule.computeIfAbsent(f.rule(), k -> new int[3]);
      c[f.severity().ordinal()]++;
    }
    out.println();
    out.println("| rule | errors | warnings | infos |");
    out.println("| --- | --- | --- | --- |");
    perRule.forEach(
        (rule, c) -> out.printf(Locale.ROOT, "| %s | %d | %d | %d |%n", rule, c[0], c[1], c[2]));

    if (args.length > 2) {
      writeFindings(Path.of(args[2]), findings);
    }

    List<Label> labels = new ArrayList<>();
    for (Path file : labelFiles) {
      labels.addAll(readLabels(file));
    }
    Map<String, Finding> byKey = new HashMap<>();
    for (Finding f : findings) {
      byKey.putIfAbsent(f.key(), f);
    }
    Map<String, int[]> tally = new TreeMap<>(); // rule/severity -> true, false, debatable
    int[] errors = new int[3];
    int[] warnings = new int[3];
    int[] all = new int[3];
    List<Label> lost = new ArrayList<>();
    List<Label> moved = new ArrayList<>();
    List<Label> gone = new ArrayList<>();
    java.util.Set<String> ruleInFile = new java.util.HashSet<>();
    for (Finding f : findings) {
      ruleInFile.add(f.repo() + "|" + f.file() + "|" + f.rule());
    }
    for (Label l : labels) {
      Finding f = byKey.get(l.key());
      if (f == null) {
        if (!l.label().equals("true")) {
          gone.add(l);
        } else if (ruleInFile.contains(l.repo() + "|" + l.file() + "|" + l.rule())) {
          // The defect is still reported in its file, once instead of on every line (e.g. one
          // SK018 for a file without any task id, one SK026 at the task's own line).
          moved.add(l);
        } else {
          lost.add(l);
        }
        continue;
      }
      int i =
          switch (l.label()) {
            case "true" -> 0;
            case "false" -> 1;
            default -> 2;
          };
      tally.computeIfAbsent(f.rule() + " " + sev(f.severity()), k -> new int[3])[i]++;
      all[i]++;
      if (f.severity() == Severity.ERROR) {
        errors[i]++;
      } else if (f.severity() == Severity.WARNING) {
        warnings[i]++;
      }
    }
    out.println();
    out.printf(
        Locale.ROOT,
        "labelled sample: %d labels, %d still reported at their line, %d no longer reported"
            + " (%d labelled true but still reported elsewhere in the same file by the same"
            + " rule; %d labelled true and lost)%n",
        labels.size(),
        labels.size() - lost.size() - moved.size() - gone.size(),
        lost.size() + moved.size() + gone.size(),
        moved.size(),
        lost.size());
    out.println();
    out.println("| rule | severity | true | false | debatable | precision |");
    out.println("| --- | --- | --- | --- | --- | --- |");
    tally.forEach(
        (k, c) -> {
          String[] p = k.split(" ");
          out.printf(
              Locale.ROOT,
              "| %s | %s | %d | %d | %d | %s |%n",
              p[0],
              p[1],
              c[0],
              c[1],
              c[2],
              precision(c));
        });
    out.printf(
        Locale.ROOT,
        "| all | error | %d | %d | %d | %s |%n",
        errors[0],
        errors[1],
        errors[2],
        precision(errors));
    out.printf(
        Locale.ROOT,
        "| all | warning | %d | %d | %d | %s |%n",
        warnings[0],
        warnings[1],
        warnings[2],
        precision(warnings));
    out.printf(
        Locale.ROOT, "| all | all | %d | %d | %d | %s |%n", all[0], all[1], all[2], precision(all));
    // The sample takes a fixed number of findings per rule, so its plain precision over-weights
    // rare rules. Weighting each rule's precision by how often the rule fires estimates the
    // precision a user meets on the whole corpus.
    Map<String, Integer> population = new HashMap<>();
    for (Finding f : findings) {
      population.merge(f.rule() + " " + sev(f.severity()), 1, Integer::sum);
    }
    for (String severity : List.of("error", "warning")) {
      double weighted = 0;
      int covered = 0;
      for (Map.Entry<String, int[]> e : tally.entrySet()) {
        int[] c = e.getValue();
        if (!e.getKey().endsWith(" " + severity) || c[0] + c[1] == 0) {
          continue;
        }
        int n = population.getOrDefault(e.getKey(), 0);
        weighted += n * ((double) c[0] / (c[0] + c[1]));
        covered += n;
      }
      out.printf(
          Locale.ROOT,
          "%s precision weighted by each rule's share of all %s findings: %s (over %d findings)%n",
          severity,
          severity,
          covered == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", weighted / covered),
          covered);
    }
    for (Label l : lost) {
      out.println(
          "LOST "
              + l.repo()
              + "/"
              + l.file()
              + ":"
              + l.line()
              + " "
              + l.rule()
              + " ("
              + l.reason()
              + ")");
    }
  }

  private static String precision(int[] c) {
    int decided = c[0] + c[1];
    return decided == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", (double) c[0] / decided);
  }

  private static String sev(Severity s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The folders of a repository that hold a {@code specs/} or {@code .specify/} folder, leaving out
   * hidden folders (other tools' state, such as {@code .kiro/}) and OpenSpec change folders, which
   * are not Spec Kit projects.
   */
  static List<Path> kitRoots(Path repo) throws IOException {
    TreeSet<Path> roots = new TreeSet<>();
    try (Stream<Path> s = Files.walk(repo, 6)) {
      s.filter(Files::isDirectory)
          .filter(p -> name(p).equals("specs") || name(p).equals(".specify"))
          .map(Path::getParent)
          .filter(parent -> included(repo, parent))
          .forEach(roots::add);
    }
    return List.copyOf(roots);
  }

  private static boolean included(Path repo, Path dir) {
    for (Path part : repo.relativize(dir)) {
      String n = part.toString();
      if (n.startsWith(".") || n.equals("openspec") || n.equals("node_modules")) {
        return false;
      }
    }
    return true;
  }

  private static boolean inside(Path root, Location loc) {
    Path file = root.resolve(loc.file());
    if (loc.line() == 0) {
      return true; // the file or folder as a whole, or a missing artifact the rule names
    }
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try {
      List<String> lines = lines(Files.readString(file, StandardCharsets.UTF_8));
      return loc.line() >= 1
          && loc.line() <= lines.size()
          && loc.column() >= 0
          && loc.column() <= lines.get(loc.line() - 1).length() + 1;
    } catch (IOException e) {
      // Not UTF-8: the validator reports that itself; a line-level location cannot be checked.
      return true;
    }
  }

  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        lines.add(text.substring(start, i));
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  private static long size(Path repo) {
    try (Stream<Path> s = Files.walk(repo)) {
      return s.filter(Files::isRegularFile).mapToLong(RealWorldPrecision::fileSize).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long fileSize(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String name(Path p) {
    Path n = p.getFileName();
    return n == null ? "" : n.toString();
  }

  private static String oneLine(String s) {
    return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }

  private static void writeFindings(Path file, List<Finding> findings) throws IOException {
    List<String> rows = new ArrayList<>();
    rows.add("repo\tfile\tline\trule\tseverity\tmessage");
    for (Finding f : findings) {
      rows.add(
          String.join(
              "\t",
              f.repo(),
              f.file(),
              Integer.toString(f.line()),
              f.rule(),
              sev(f.severity()),
              f.msg()));
    }
    Files.write(file, rows, StandardCharsets.UTF_8);
  }

  /** Reads {@code repo,file,line,rule,label,reason}; the reason may hold commas (last field). */
  static List<Label> readLabels(Path file) throws IOException {
    List<Label> labels = new ArrayList<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (String row : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (row.isBlank() || row.startsWith("#") || row.startsWith("repo,")) {
        continue;
      }
      String[] p = row.split(",", 6);
      if (p.length < 5) {
        throw new IllegalArgumentException(file + ": bad row: " + row);
      }
      String label = p[4].trim();
      if (!label.equals("true") && !label.equals("false") && !label.equals("debatable")) {
        throw new IllegalArgumentException(
            file + ": label must be true, false or debatable: " + row);
      }
      Label l =
          new Label(
              p[0], p[1], Integer.parseInt(p[2].trim()), p[3], label, p.length > 5 ? p[5] : "");
      if (seen.put(l.key(), 1) != null) {
        throw new IllegalArgumentException(file + ": labelled twice: " + row);
      }
      labels.add(l);
    }
    return labels;
  }
}
