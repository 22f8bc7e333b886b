package dev.tollgate.actions.github;

import dev.tollgate.core.repo.CommitInfo;
import dev.tollgate.core.repo.RepositoryView;
import dev.tollgate.policy.MergeGate;
import dev.tollgate.policy.PullRequestFacts;
import dev.tollgate.policy.PullRequestSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The pull request a {@link GateTarget} names, as a {@link PullRequestSource}: {@link GithubFacts}
 * gathered in the checkout, with the policy read at the base and head commits (from the checkout
 * when it has them, else from the API) and only the facts the policy reads looked up.
 */
final class GithubSource implements PullRequestSource {
  private final GateTarget target;
  private final GithubClient client;
  private final RepositoryName repository;

  GithubSource(GateTarget target, GithubClient client, RepositoryName repository) {
    this.target = Objects.requireNonNull(target, "target");
    this.client = Objects.requireNonNull(client, "client");
    this.repository = Objects.requireNonNull(repository, "repository");
  }

  @Override
  public Change read(RepositoryView checkout, Supplier<String> defaultBase) {
    GithubFacts facts = GithubFacts.gather(target, checkout, client, repository, defaultBase);
    return new Change() {
      @Override
      public String baseLabel() {
        return facts.baseLabel();
      }

      @Override
      public String baseCommit() {
        return facts.baseCommit();
      }

      @Override
      public String headLabel() {
        return facts.headLabel();
      }

      @Override
      public String headCommit() {
        return facts.headCommit();
      }

      @Override
      public String baseRevision() {
        return facts.baseCommit();
      }

      @Override
      public String headRevision() {
        return facts.headCommit();
      }

      @Override
      public String describeRevisions() {
        return "at base "
            + facts.baseLabel()
            + " ("
            + CommitInfo.abbreviate(facts.baseCommit())
            + ") or head "
            + CommitInfo.abbreviate(facts.headCommit());
      }

      @Override
      public Optional<byte[]> fileAt(String revision, String path) {
        return facts.fileAt(revision, path);
      }

      @Override
      public PullRequestFacts facts(MergeGate.Reads reads) {
        return facts.facts(new GithubFacts.Wanted(reads.approvals(), reads.commitMessages()));
      }

      @Override
      public List<String> notes() {
        return facts.notes();
      }
    };
  }
}
