package dev.tollgate.policy;

import dev.tollgate.core.repo.ChangeSet;
import dev.tollgate.core.repo.CommitInfo;
import dev.tollgate.core.repo.RepositoryView;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The default {@link PullRequestSource}: the change, the commits and the branch from the local Git
 * checkout, and the title, labels and approvals as the request gives them.
 */
final class GitSource implements PullRequestSource {
  private final MergeGateRequest request;

  GitSource(MergeGateRequest request) {
    this.request = request;
  }

  @Override
  public Change read(RepositoryView view, Supplier<String> defaultBase) {
    String head = request.head();
    String base = request.base().orElseGet(defaultBase);
    CommitInfo baseCommit = view.commit(base);
    CommitInfo headCommit = view.commit(head);
    ChangeSet changes = view.changes(base, head);
    List<String> messages =
        view.commitsBetween(base, head).stream().map(CommitInfo::message).toList();
    Optional<String> branch =
        request.branch().or(() -> view.branchOf(head)).or(request::fallbackBranch);
    PullRequestFacts facts =
        new PullRequestFacts(
            branch,
            request.title(),
            request.labels(),
            request.approvals(),
            changes,
            messages,
            file -> file.blobId().map(view::blob));
    return new Local(view, base, baseCommit.id(), head, headCommit.id(), facts);
  }

  /** A change read from the checkout: every fact is at hand, whatever the policy reads. */
  private record Local(
      RepositoryView view,
      String baseLabel,
      String baseCommit,
      String headLabel,
      String headCommit,
      PullRequestFacts facts)
      implements Change {

    @Override
    public String baseRevision() {
      return baseLabel;
    }

    @Override
    public String headRevision() {
      return headLabel;
    }

    @Override
    public String describeRevisions() {
      return "in " + baseLabel + " or " + headLabel + " of " + view.workTree();
    }

    @Override
    public Optional<byte[]> fileAt(String revision, String path) {
      return view.file(revision, path);
    }

    @Override
    public PullRequestFacts facts(MergeGate.Reads reads) {
      return facts;
    }
  }
}
