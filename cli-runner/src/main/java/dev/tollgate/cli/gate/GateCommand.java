package dev.tollgate.cli.gate;

import dev.tollgate.actions.report.ReportFormat;
import dev.tollgate.actions.report.VerdictRenderer;
import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.ReportOptions;
import dev.tollgate.cli.common.Seams;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.policy.GateCheckout;
import dev.tollgate.policy.MergeGateRequest;
import dev.tollgate.policy.MergeGateResult;
import dev.tollgate.policy.MergeGateService;
import dev.tollgate.policy.MissingBaseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code tollgate gate}: the merge gate. Checks its options, asks {@link MergeGateService} (or,
 * with {@code --github}, {@link GithubGateRun}) for the verdict on the change between two refs,
 * prints it with a result per gate and a fix per blocked gate, and turns it into the exit code.
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
public final class GateCommand implements Callable<Integer> {
  private final Seams seams;

  GateCommand(Seams seams) {
    this.seams = seams;
  }

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
    if (!GateCheckout.isBundle(given) && !Files.isDirectory(given)) {
      throw usage("--repo '" + repo + "' is not a folder or a .bundle file");
    }
    // A bundle is cloned here, before the policy file is checked, and removed whatever happens.
    try (GateCheckout checkout = GateCheckout.open(given, head)) {
      return github.enabled
          ? new GithubGateRun(spec, seams, github, report)
              .run(checkout.folder(), reportFormat, this::policyFile)
          : gate(checkout.folder(), reportFormat);
    }
  }

  /** Gates the change between base and head of the repository whose work tree holds {@code dir}. */
  private int gate(Path dir, ReportFormat reportFormat) {
    MergeGateRequest.Builder request =
        MergeGateRequest.builder()
            .repository(dir)
            .head(head)
            .baseCandidates(baseCandidates(seams))
            .labels(labels);
    policyFile().ifPresent(request::policyFile);
    if (base != null) {
      request.base(base);
    }
    if (branch != null) {
      request.branch(branch);
    }
    seams.variable("GITHUB_HEAD_REF").ifPresent(request::fallbackBranch);
    if (title != null) {
      request.title(title);
    }
    if (approvals != null) {
      request.approvals(approvals);
    }
    MergeGateResult result;
    try {
      result = service(seams).evaluate(request.build());
    } catch (MissingBaseException e) {
      throw missingBase(spec, e);
    }
    report.emit(VerdictRenderer.of(reportFormat).render(result, report.renderOptions()));
    return result.passed() ? ExitCode.OK : ExitCode.FINDINGS;
  }

  /** The merge gate on the seams' clock. */
  static MergeGateService service(Seams seams) {
    return MergeGateService.builder().clock(seams.clock()).build();
  }

  /**
   * The bases tried when {@code --base} is not given: {@code origin/$GITHUB_BASE_REF} and {@code
   * $GITHUB_BASE_REF} in GitHub Actions, then {@code main} and {@code master}.
   */
  static List<String> baseCandidates(Seams seams) {
    List<String> candidates = new ArrayList<>();
    seams
        .variable("GITHUB_BASE_REF")
        .ifPresent(
            fromCi -> {
              candidates.add("origin/" + fromCi);
              candidates.add(fromCi);
            });
    candidates.addAll(MergeGateRequest.DEFAULT_BASE_CANDIDATES);
    return candidates;
  }

  /** Bad usage: the base must be named, since none of the candidates exists. */
  static ParameterException missingBase(
      CommandLine.Model.CommandSpec spec, MissingBaseException e) {
    return new ParameterException(
        spec.commandLine(),
        "--base is required: none of " + String.join(", ", e.candidates()) + " exists");
  }

  /** The {@code --policy} file, checked to exist; empty when none was given. */
  private Optional<MergeGateRequest.PolicyFile> policyFile() {
    if (policy == null) {
      return Optional.empty();
    }
    Path file = path(policy, "--policy");
    if (!Files.isRegularFile(file)) {
      throw usage("--policy file '" + policy + "' does not exist");
    }
    return Optional.of(new MergeGateRequest.PolicyFile(file, policy.replace('\\', '/')));
  }

  private Path path(String text, String what) {
    return ReportOptions.path(spec, text, what);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
