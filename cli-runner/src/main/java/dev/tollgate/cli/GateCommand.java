package dev.tollgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.actions.report.GateMarkdown;
import dev.tollgate.actions.report.JsonText;
import dev.tollgate.actions.report.RenderOptions;
import dev.tollgate.actions.report.ReportFormat;
import dev.tollgate.actions.report.ReportRenderer;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.GateStatus;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.core.repo.ChangeSet;
import dev.tollgate.core.repo.CommitInfo;
import dev.tollgate.core.repo.RepositoryView;
import dev.tollgate.core.report.Report;
import dev.tollgate.policy.GateFinding;
import dev.tollgate.policy.MergeGate;
import dev.tollgate.policy.MergeVerdict;
import dev.tollgate.policy.PolicyLoader;
import dev.tollgate.policy.PullRequestFacts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code tollgate gate}: the merge gate. Evaluates the policy's pull-request rules against the
 * change between two refs and prints one verdict with a result per gate and a fix per blocked gate.
 */
@Command(
    name = "gate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Evaluate the pull-request rules of .tollgate/policy.yml against the change between two refs.",
      "The policy is read as of --base, so a pull request cannot loosen its own gate.",
      "With --github it runs as a GitHub Actions step: the event names the pull request, and the"
          + " verdict also goes to a sticky comment, a commit status or check run, annotations,"
          + " the job summary and step outputs (see docs/action.md).",
      "Exit codes: 0 every gate passes, 1 a gate blocked (or could not decide), 2 bad input,"
          + " 3 could not finish."
    })
final class GateCommand implements Callable<Integer> {
  /** Environment lookup; replaced in tests. */
  static UnaryOperator<String> env = System::getenv;

  /** The clock gates read; replaced in tests. */
  static Clock clock = Clock.systemUTC();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      defaultValue = ".",
      description =
          "A folder of the Git work tree to gate, or a .bundle file (git bundle create), which is"
              + " cloned into a temporary folder and checked out at --head (default:"
              + " ${DEFAULT-VALUE}).")
  String repo;

  @Option(
      names = "--base",
      paramLabel = "REF",
      description =
          "The ref the PR merges into (default: origin/$GITHUB_BASE_REF in GitHub Actions, else"
              + " main, else master).")
  String base;

  @Option(
      names = "--head",
      paramLabel = "REF",
      defaultValue = "HEAD",
      description = "The PR's head ref (default: ${DEFAULT-VALUE}).")
  String head;

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description =
          "Policy file to use instead of .tollgate/policy.yml as of --base (falling back to"
              + " --head when the base has none).")
  String policy;

  @Option(
      names = "--branch",
      paramLabel = "NAME",
      description =
          "The PR's head branch name (default: --head when it is a branch, else $GITHUB_HEAD_REF).")
  String branch;

  @Option(names = "--title", paramLabel = "TITLE", description = "The PR's title.")
  String title;

  @Option(
      names = "--label",
      paramLabel = "LABEL",
      description = "A label the PR carries; repeat for several.")
  List<String> labels = new ArrayList<>();

  @Option(
      names = "--approvals",
      paramLabel = "N",
      description = "How many reviewers approved the PR (unknown when absent).")
  Integer approvals;

  @Mixin ReportOptions report;

  @Mixin GithubOptions github;

  /** What was gated: the refs, the commits, the branch and where the policy came from. */
  record Subject(
      String baseRef,
      String baseCommit,
      String headRef,
      String headCommit,
      Optional<String> branch,
      String policyFile,
      Optional<String> policyRef,
      ChangeSet changes) {}

  @Override
  public Integer call() {
    ReportFormat reportFormat = report.format();
    if (approvals != null && approvals < 0) {
      throw usage("--approvals must be 0 or more but was " + approvals);
    }
    for (String l : labels) {
      if (l.isBlank()) {
        throw usage("--label must not be empty");
      }
    }
    if (head.isBlank()) {
      throw usage("--head must not be empty");
    }
    if (base != null && base.isBlank()) {
      throw usage("--base must not be empty");
    }
    github.check(
        spec.commandLine().getParseResult(),
        List.of("--base", "--head", "--branch", "--title", "--label", "--approvals"));
    Path given = path(repo, "--repo");
    if (Files.isRegularFile(given) && given.getFileName().toString().endsWith(".bundle")) {
      // A bundle is cloned into a temporary work tree that is removed whatever happens.
      Path scratch;
      try {
        scratch = Files.createTempDirectory("tollgate-gate-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try {
        RepositoryView.cloneBundle(given, head, scratch.resolve("repo"));
        return run(scratch.resolve("repo"), reportFormat);
      } finally {
        deleteTree(scratch);
      }
    }
    if (!Files.isDirectory(given)) {
      throw usage("--repo '" + repo + "' is not a folder or a .bundle file");
    }
    return run(given, reportFormat);
  }

  private int run(Path dir, ReportFormat reportFormat) {
    return github.enabled ? GithubGateRun.run(this, dir, reportFormat) : gate(dir, reportFormat);
  }

  /** Gates the change between base and head of the repository whose work tree holds {@code dir}. */
  private int gate(Path dir, ReportFormat reportFormat) {
    Path policyFile = policyFile();
    try (RepositoryView view = RepositoryView.open(dir)) {
      String baseRef = base != null ? base : defaultBase(view);
      CommitInfo baseCommit = view.commit(baseRef);
      CommitInfo headCommit = view.commit(head);
      ChangeSet changes = view.changes(baseRef, head);
      List<String> messages =
          view.commitsBetween(baseRef, head).stream().map(CommitInfo::message).toList();
      Optional<String> branchName =
          Optional.ofNullable(branch)
              .filter(b -> !b.isBlank())
              .or(() -> view.branchOf(head))
              .or(
                  () ->
                      Optional.ofNullable(env.apply("GITHUB_HEAD_REF")).filter(b -> !b.isBlank()));

      PolicySource source =
          policyFile != null
              ? PolicySource.ofFile(policyFile, policy)
              : PolicySource.ofRepository(
                  view::file,
                  baseRef,
                  head,
                  "in " + baseRef + " or " + head + " of " + view.workTree());
      PullRequestFacts facts =
          new PullRequestFacts(
              branchName,
              Optional.ofNullable(title).filter(t -> !t.isBlank()),
              new java.util.TreeSet<>(labels),
              approvals == null ? OptionalInt.empty() : OptionalInt.of(approvals),
              changes,
              messages,
              file -> file.blobId().map(view::blob));
      MergeVerdict verdict = evaluate(view, source, facts);
      Subject subject =
          new Subject(
              baseRef,
              baseCommit.id(),
              head,
              headCommit.id(),
              branchName,
              source.shown(),
              source.ref(),
              changes);
      String text = render(reportFormat, verdict, subject);
      report.emit(text);
      return verdict.verdict().passed() ? ExitCode.OK : ExitCode.FINDINGS;
    }
  }

  /** The {@code --policy} file, checked to exist; null when none was given. */
  Path policyFile() {
    if (policy == null) {
      return null;
    }
    Path file = path(policy, "--policy");
    if (!Files.isRegularFile(file)) {
      throw usage("--policy file '" + policy + "' does not exist");
    }
    return file;
  }

  /** Where the policy text came from: its text, how it is named and the ref it was read at. */
  record PolicySource(String text, String shown, Optional<String> ref) {
    /** The {@code --policy} file. */
    static PolicySource ofFile(Path file, String typed) {
      String shown = typed.replace('\\', '/');
      return new PolicySource(read(file, shown), shown, Optional.empty());
    }

    /**
     * {@code .tollgate/policy.yml} as of {@code base}, falling back to {@code head} for the pull
     * request that introduces it; {@code where} completes the message when neither has one.
     */
    static PolicySource ofRepository(
        java.util.function.BiFunction<String, String, Optional<byte[]>> fileAt,
        String base,
        String head,
        String where) {
      Optional<byte[]> atBase = fileAt.apply(base, PolicyLoader.DEFAULT_PATH);
      Optional<byte[]> bytes =
          atBase.isPresent() ? atBase : fileAt.apply(head, PolicyLoader.DEFAULT_PATH);
      if (bytes.isEmpty()) {
        throw TollgateException.badInput(
            "no "
                + PolicyLoader.DEFAULT_PATH
                + " "
                + where
                + "; write one (see docs/policy.md) or pass --policy FILE");
      }
      return new PolicySource(
          new String(bytes.get(), StandardCharsets.UTF_8),
          PolicyLoader.DEFAULT_PATH,
          Optional.of(atBase.isPresent() ? base : head));
    }
  }

  /** Loads the merge gate of the work tree with the policy and evaluates it on the facts. */
  static MergeVerdict evaluate(RepositoryView view, PolicySource source, PullRequestFacts facts) {
    return load(view, source).evaluate(facts, clock);
  }

  /** The merge gate of the work tree with the policy (its gates, rules and work items). */
  static MergeGate load(RepositoryView view, PolicySource source) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return MergeGate.load(
        view.workTree(),
        source.text(),
        source.shown(),
        loader != null ? loader : GateCommand.class.getClassLoader());
  }

  private static void deleteTree(Path root) {
    try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // A leftover file in the temp folder is harmless; the verdict already stands.
                }
              });
    } catch (IOException e) {
      // Same: cleaning up must not turn a verdict into a failure.
    }
  }

  String defaultBase(RepositoryView view) {
    String fromCi = env.apply("GITHUB_BASE_REF");
    List<String> candidates = new ArrayList<>();
    if (fromCi != null && !fromCi.isBlank()) {
      candidates.add("origin/" + fromCi);
      candidates.add(fromCi);
    }
    candidates.add("main");
    candidates.add("master");
    for (String c : candidates) {
      if (view.exists(c)) {
        return c;
      }
    }
    throw usage("--base is required: none of " + String.join(", ", candidates) + " exists");
  }

  private static String read(Path file, String shown) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.MalformedInputException e) {
      throw TollgateException.badInput(shown + ": file is not valid UTF-8");
    } catch (IOException e) {
      throw TollgateException.badInput(shown + ": file cannot be read: " + e.getMessage());
    }
  }

  // --- rendering ---

  String render(ReportFormat f, MergeVerdict verdict, Subject subject) {
    return switch (f) {
      case TEXT -> text(verdict, subject);
      case JSON -> json(verdict, subject);
      case MARKDOWN -> GateMarkdown.table(verdict) + "\n" + renderReport(f, verdict, subject);
      default -> renderReport(f, verdict, subject);
    };
  }

  private String renderReport(ReportFormat f, MergeVerdict verdict, Subject subject) {
    return ReportRenderer.of(f).render(toReport(verdict, subject), renderOptions());
  }

  /** The verdict as a {@link Report}, for SARIF, workflow commands and check-run annotations. */
  Report toReport(MergeVerdict verdict, Subject subject) {
    return GateMarkdown.toReport(
        verdict, subject.policyFile(), subject.changes().fileCount(), report.docsBaseUrl);
  }

  RenderOptions renderOptions() {
    return new RenderOptions(false, report.docsBaseUrl, VersionProvider.version(), 50);
  }

  private static String word(GateStatus s) {
    return s.label();
  }

  private static String text(MergeVerdict verdict, Subject s) {
    StringBuilder out = new StringBuilder();
    List<GateResult> results = verdict.verdict().results();
    long blocked = results.stream().filter(r -> r.status() == GateStatus.BLOCKED).count();
    long errors = results.stream().filter(r -> r.status() == GateStatus.ERROR).count();
    out.append("merge gate: ")
        .append(word(verdict.verdict().status()))
        .append(" (")
        .append(results.size() - blocked - errors)
        .append(" of ")
        .append(results.size())
        .append(" gates pass")
        .append(blocked > 0 ? ", " + blocked + " blocked" : "")
        .append(errors > 0 ? ", " + errors + " could not decide" : "")
        .append(")\n");
    out.append("change: ")
        .append(safe(s.baseRef()))
        .append(" (")
        .append(abbrev(s.baseCommit()))
        .append(") → ")
        .append(safe(s.headRef()))
        .append(" (")
        .append(abbrev(s.headCommit()))
        .append(")")
        .append(s.branch().map(b -> " on " + safe(b)).orElse(""))
        .append(": ")
        .append(s.changes().fileCount())
        .append(s.changes().fileCount() == 1 ? " file" : " files")
        .append(", +")
        .append(s.changes().added())
        .append(" -")
        .append(s.changes().deleted())
        .append(" lines\n");
    out.append("policy: ")
        .append(safe(s.policyFile()))
        .append(s.policyRef().map(r -> " as of " + safe(r)).orElse(""))
        .append("\n\n");
    int width = results.stream().mapToInt(r -> r.gate().length()).max().orElse(0);
    for (GateResult r : results) {
      out.append(String.format("%-7s ", word(r.status())))
          .append(r.gate())
          .append(" ".repeat(width - r.gate().length()))
          .append("  ")
          .append(safe(r.reason()))
          .append('\n');
      if (r.status() != GateStatus.PASS) {
        Recovery g = r.recovery().orElseThrow();
        for (GateFinding p : verdict.findingsOf(r.gate())) {
          out.append("    at ")
              .append(safe(p.location().toString()))
              .append(": ")
              .append(safe(p.message()))
              .append('\n');
        }
        out.append("    cause: ").append(safe(g.cause())).append('\n');
        out.append("    policy: ").append(safe(g.policyContext())).append('\n');
        out.append("    next step: ").append(safe(g.nextStep())).append('\n');
        out.append("    safe retry: ").append(safe(g.safeRetry())).append('\n');
      }
    }
    return out.toString();
  }

  private String json(MergeVerdict verdict, Subject s) {
    ObjectMapper mapper = JsonText.mapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("schemaVersion", 1);
    root.put("tool", "gate");
    root.put("version", VersionProvider.version());
    root.put("verdict", word(verdict.verdict().status()));
    ObjectNode b = root.putObject("base");
    b.put("ref", s.baseRef());
    b.put("commit", s.baseCommit());
    ObjectNode h = root.putObject("head");
    h.put("ref", s.headRef());
    h.put("commit", s.headCommit());
    h.put("branch", s.branch().orElse(null));
    ObjectNode p = root.putObject("policy");
    p.put("file", s.policyFile());
    p.put("ref", s.policyRef().orElse(null));
    ObjectNode c = root.putObject("changes");
    c.put("files", s.changes().fileCount());
    c.put("added", s.changes().added());
    c.put("deleted", s.changes().deleted());
    List<GateResult> results = verdict.verdict().results();
    ObjectNode summary = root.putObject("summary");
    summary.put("gates", results.size());
    for (GateStatus st : GateStatus.values()) {
      summary.put(
          st == GateStatus.PASS ? "passed" : st == GateStatus.BLOCKED ? "blocked" : "errors",
          results.stream().filter(r -> r.status() == st).count());
    }
    ArrayNode gates = root.putArray("gates");
    for (GateResult r : results) {
      ObjectNode g = gates.addObject();
      g.put("gate", r.gate());
      g.put("status", word(r.status()));
      g.put("reason", r.reason());
      if (r.recovery().isPresent()) {
        Recovery rec = r.recovery().get();
        ObjectNode o = g.putObject("recovery");
        o.put("cause", rec.cause());
        o.put("policyContext", rec.policyContext());
        o.put("nextStep", rec.nextStep());
        o.put("safeRetry", rec.safeRetry());
      } else {
        g.putNull("recovery");
      }
      ArrayNode places = g.putArray("findings");
      for (GateFinding f : verdict.findingsOf(r.gate())) {
        ObjectNode o = places.addObject();
        o.put("file", f.location().file());
        if (f.location().line() > 0) {
          o.put("line", f.location().line());
        } else {
          o.putNull("line");
        }
        if (f.location().column() > 0) {
          o.put("column", f.location().column());
        } else {
          o.putNull("column");
        }
        o.put("message", f.message());
      }
    }
    return JsonText.pretty(root);
  }

  private static String abbrev(String id) {
    return id.length() <= 7 ? id : id.substring(0, 7);
  }

  /** Escapes control characters so that text from the repository stays on its line. */
  static String safe(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if ((c < 0x20 && c != '\t')
          || (c >= 0x7f && c < 0xa0)
          || (c >= '\u202a' && c <= '\u202e')
          || (c >= '\u2066' && c <= '\u2069')) {
        b.append(String.format("\\u%04X", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private Path path(String text, String what) {
    return ReportOptions.path(spec, text, what);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
