package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * What {@link MergeGateService} gates: a repository (a folder of a Git work tree or a {@code
 * .bundle} file), the base and head of the change, where the policy comes from, and what is known
 * about the pull request; or, instead of the pull request's facts, a {@link PullRequestSource} such
 * as the GitHub integration's. Build one with {@link #builder()}.
 *
 * @param repository a folder of the work tree, or a bundle file cloned and checked out at {@code
 *     head}
 * @param base the ref the pull request merges into; empty to take the first of {@code
 *     baseCandidates} that exists
 * @param baseCandidates the refs tried, in order, when no base is named
 * @param head the pull request's head ref (for a bundle, the branch to check out)
 * @param policyFile a policy file to use instead of {@code .tollgate/policy.yml} as of the base
 * @param branch the pull request's head branch; empty to take the branch {@code head} names
 * @param fallbackBranch the branch when none is named and {@code head} names none (in CI, the
 *     runner's idea of it)
 * @param title the pull request's title; empty when unknown
 * @param labels the pull request's labels
 * @param approvals how many reviewers approved; empty when unknown
 * @param source where the pull request's facts come from instead of the fields above; empty for the
 *     local Git checkout
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record MergeGateRequest(
    Path repository,
    Optional<String> base,
    List<String> baseCandidates,
    String head,
    Optional<PolicyFile> policyFile,
    Optional<String> branch,
    Optional<String> fallbackBranch,
    Optional<String> title,
    Set<String> labels,
    OptionalInt approvals,
    Optional<PullRequestSource> source) {

  /** The bases tried when none is named and the caller gives no candidates. */
  public static final List<String> DEFAULT_BASE_CANDIDATES = List.of("main", "master");

  /**
   * A policy file given directly rather than read from the repository.
   *
   * @param path the file
   * @param shown how it is named in messages and reports, e.g. {@code ci/policy.yml}
   */
  public record PolicyFile(Path path, String shown) {
    /** Checks both parts. */
    public PolicyFile {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(shown, "shown");
      if (shown.isBlank()) {
        throw new IllegalArgumentException("shown must not be blank");
      }
    }

    /** The file, named in messages as its path with forward slashes. */
    public static PolicyFile of(Path path) {
      return new PolicyFile(path, path.toString().replace('\\', '/'));
    }
  }

  /** Checks that every part is present; copies and sorts the labels. */
  public MergeGateRequest {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(base, "base");
    baseCandidates = List.copyOf(baseCandidates);
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(policyFile, "policyFile");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(fallbackBranch, "fallbackBranch");
    Objects.requireNonNull(title, "title");
    labels = Collections.unmodifiableSortedSet(new TreeSet<>(labels));
    Objects.requireNonNull(approvals, "approvals");
    Objects.requireNonNull(source, "source");
  }

  /** A builder; only the repository is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link MergeGateRequest}, checking each value as it is set. Blank texts for the
   * optional facts (branch, title) mean "unknown", as an empty command-line option does.
   */
  public static final class Builder {
    private Path repository;
    private String base;
    private List<String> baseCandidates = DEFAULT_BASE_CANDIDATES;
    private String head = "HEAD";
    private PolicyFile policyFile;
    private String branch;
    private String fallbackBranch;
    private String title;
    private final List<String> labels = new ArrayList<>();
    private Integer approvals;
    private PullRequestSource source;

    private Builder() {}

    /** The repository: a folder of a Git work tree, or a {@code .bundle} file. */
    public Builder repository(Path repository) {
      this.repository = Objects.requireNonNull(repository, "repository");
      return this;
    }

    /** The ref the pull request merges into, e.g. {@code origin/main}. */
    public Builder base(String base) {
      this.base = nonBlank(base, "base");
      return this;
    }

    /**
     * The refs to try, in order, when no base is named; default {@link #DEFAULT_BASE_CANDIDATES}.
     */
    public Builder baseCandidates(List<String> candidates) {
      Objects.requireNonNull(candidates, "baseCandidates");
      if (candidates.isEmpty()) {
        throw new IllegalArgumentException("baseCandidates must name at least one ref");
      }
      for (String c : candidates) {
        nonBlank(c, "baseCandidates element");
      }
      this.baseCandidates = List.copyOf(candidates);
      return this;
    }

    /** The pull request's head ref; default {@code HEAD}. */
    public Builder head(String head) {
      this.head = nonBlank(head, "head");
      return this;
    }

    /** A policy file to use instead of {@code .tollgate/policy.yml} as of the base. */
    public Builder policyFile(PolicyFile policyFile) {
      this.policyFile = Objects.requireNonNull(policyFile, "policyFile");
      return this;
    }

    /** The pull request's head branch; blank for "take the branch head names". */
    public Builder branch(String branch) {
      this.branch = Objects.requireNonNull(branch, "branch");
      return this;
    }

    /** The branch to use when none is named and head names none; blank for none. */
    public Builder fallbackBranch(String fallbackBranch) {
      this.fallbackBranch = Objects.requireNonNull(fallbackBranch, "fallbackBranch");
      return this;
    }

    /** The pull request's title; blank for unknown. */
    public Builder title(String title) {
      this.title = Objects.requireNonNull(title, "title");
      return this;
    }

    /** A label the pull request carries; call once per label. */
    public Builder label(String label) {
      labels.add(nonBlank(label, "label"));
      return this;
    }

    /** The labels the pull request carries. */
    public Builder labels(Iterable<String> labels) {
      Objects.requireNonNull(labels, "labels");
      labels.forEach(this::label);
      return this;
    }

    /** How many reviewers approved the pull request; 0 or more. */
    public Builder approvals(int approvals) {
      if (approvals < 0) {
        throw new IllegalArgumentException("approvals must be 0 or more but was " + approvals);
      }
      this.approvals = approvals;
      return this;
    }

    /**
     * Where the pull request's facts come from instead of the local checkout and this builder's
     * base, branch, title, labels and approvals, which must then stay unset.
     */
    public Builder source(PullRequestSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * The request.
     *
     * @throws IllegalStateException when no repository was given, or a source was given together
     *     with facts it supplies itself
     */
    public MergeGateRequest build() {
      if (repository == null) {
        throw new IllegalStateException("repository is required");
      }
      if (source != null) {
        List<String> clashing = new ArrayList<>();
        if (base != null) {
          clashing.add("base");
        }
        if (branch != null) {
          clashing.add("branch");
        }
        if (fallbackBranch != null) {
          clashing.add("fallbackBranch");
        }
        if (title != null) {
          clashing.add("title");
        }
        if (!labels.isEmpty()) {
          clashing.add("labels");
        }
        if (approvals != null) {
          clashing.add("approvals");
        }
        if (!clashing.isEmpty()) {
          throw new IllegalStateException(
              "a source supplies the pull request's facts, so "
                  + String.join(", ", clashing)
                  + " must not be set too");
        }
      }
      return new MergeGateRequest(
          repository,
          Optional.ofNullable(base),
          baseCandidates,
          head,
          Optional.ofNullable(policyFile),
          known(branch),
          known(fallbackBranch),
          known(title),
          new TreeSet<>(labels),
          approvals == null ? OptionalInt.empty() : OptionalInt.of(approvals),
          Optional.ofNullable(source));
    }

    private static Optional<String> known(String text) {
      return Optional.ofNullable(text).filter(t -> !t.isBlank());
    }

    private static String nonBlank(String value, String what) {
      Objects.requireNonNull(value, what);
      if (value.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return value;
    }
  }
}
