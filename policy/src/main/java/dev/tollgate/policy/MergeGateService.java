package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.repo.RepositoryView;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The merge gate as a service: gates one pull request of a repository and returns the verdict with
 * what was gated. {@code tollgate gate}, {@code tollgate gate --github} and embedding services call
 * it and get the same result.
 *
 * <p>For each request it opens the repository (cloning a bundle), reads the change from the
 * request's {@link PullRequestSource} (by default the local checkout with JGit), reads the policy
 * as of the base (falling back to the head for the pull request that introduces it) unless a file
 * is given, loads the gates and work items of the work tree and evaluates them. It writes nothing
 * and is safe to share between threads.
 *
 * <pre>{@code
 * MergeGateService gate = MergeGateService.builder().clock(Clock.systemUTC()).build();
 * MergeGateResult result =
 *     gate.evaluate(MergeGateRequest.builder().repository(checkout).base("origin/main").build());
 * if (!result.passed()) { ... result.verdict().verdict().failures() ... }
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class MergeGateService {
  private final Clock clock;
  private final Optional<ClassLoader> gateLoader;

  private MergeGateService(Clock clock, Optional<ClassLoader> gateLoader) {
    this.clock = clock;
    this.gateLoader = gateLoader;
  }

  /** A builder; the clock is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link MergeGateService}. */
  public static final class Builder {
    private Clock clock;
    private ClassLoader gateLoader;

    private Builder() {}

    /** The clock gates read (deploy windows, due dates). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where custom gates are found with {@code ServiceLoader}; default the thread's context class
     * loader at evaluation time, else this library's.
     */
    public Builder gateLoader(ClassLoader gateLoader) {
      this.gateLoader = Objects.requireNonNull(gateLoader, "gateLoader");
      return this;
    }

    /**
     * The service.
     *
     * @throws IllegalStateException when no clock was given
     */
    public MergeGateService build() {
      if (clock == null) {
        throw new IllegalStateException("clock is required");
      }
      return new MergeGateService(clock, Optional.ofNullable(gateLoader));
    }
  }

  /**
   * Gates the pull request {@code request} describes.
   *
   * @throws MissingBaseException when the request names no base and none of its candidates exists
   * @throws TollgateException of kind {@code BAD_INPUT} for a repository that is not one, a ref
   *     that names nothing, a missing or invalid policy, an invalid work item or Spec Kit
   *     configuration; other kinds as the request's source throws them
   */
  public MergeGateResult evaluate(MergeGateRequest request) {
    Objects.requireNonNull(request, "request");
    try (GateCheckout checkout = GateCheckout.open(request.repository(), request.head());
        RepositoryView view = RepositoryView.open(checkout.folder())) {
      PullRequestSource source = request.source().orElseGet(() -> new GitSource(request));
      PullRequestSource.Change change =
          source.read(view, () -> firstExisting(view, request.baseCandidates()));
      PolicyText policy =
          request.policyFile().map(PolicyText::ofFile).orElseGet(() -> PolicyText.of(change));
      MergeGate gate = MergeGate.load(view.workTree(), policy.text(), policy.shown(), loader());
      // Only what the policy reads is looked up: on GitHub, no reviews unless approvals count.
      PullRequestFacts facts = change.facts(gate.reads());
      MergeVerdict verdict = gate.evaluate(facts, clock);
      GatedChange gated =
          new GatedChange(
              change.baseLabel(),
              change.baseCommit(),
              change.headLabel(),
              change.headCommit(),
              facts.branch(),
              policy.shown(),
              policy.ref().map(r -> r.equals(change.baseRevision()) ? change.baseLabel() : r),
              facts.changes());
      return new MergeGateResult(verdict, gated, change.notes());
    }
  }

  private ClassLoader loader() {
    return gateLoader.orElseGet(
        () -> {
          ClassLoader context = Thread.currentThread().getContextClassLoader();
          return context != null ? context : MergeGateService.class.getClassLoader();
        });
  }

  private static String firstExisting(RepositoryView view, List<String> candidates) {
    for (String c : candidates) {
      if (view.exists(c)) {
        return c;
      }
    }
    throw new MissingBaseException(candidates);
  }

  /** The policy's text, how it is named, and the revision it was read at (none for a file). */
  private record PolicyText(String text, String shown, Optional<String> ref) {
    static PolicyText ofFile(MergeGateRequest.PolicyFile file) {
      return new PolicyText(read(file), file.shown(), Optional.empty());
    }

    /**
     * {@code .tollgate/policy.yml} as of the base, falling back to the head for the pull request
     * that introduces it.
     */
    static PolicyText of(PullRequestSource.Change change) {
      Optional<byte[]> atBase = change.fileAt(change.baseRevision(), PolicyLoader.DEFAULT_PATH);
      Optional<byte[]> bytes =
          atBase.isPresent()
              ? atBase
              : change.fileAt(change.headRevision(), PolicyLoader.DEFAULT_PATH);
      if (bytes.isEmpty()) {
        throw TollgateException.badInput(
            "no "
                + PolicyLoader.DEFAULT_PATH
                + " "
                + change.describeRevisions()
                + "; write one (see docs/policy.md) or pass --policy FILE");
      }
      return new PolicyText(
          new String(bytes.get(), StandardCharsets.UTF_8),
          PolicyLoader.DEFAULT_PATH,
          Optional.of(atBase.isPresent() ? change.baseRevision() : change.headRevision()));
    }

    private static String read(MergeGateRequest.PolicyFile file) {
      try {
        return Files.readString(file.path(), StandardCharsets.UTF_8);
      } catch (MalformedInputException e) {
        throw TollgateException.badInput(file.shown() + ": file is not valid UTF-8");
      } catch (IOException e) {
        throw TollgateException.badInput(file.shown() + ": file cannot be read: " + e.getMessage());
      }
    }
  }
}
