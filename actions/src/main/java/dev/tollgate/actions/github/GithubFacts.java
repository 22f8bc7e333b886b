package dev.tollgate.actions.github;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.repo.ChangeSet;
import dev.tollgate.core.repo.ChangedFile;
import dev.tollgate.core.repo.CommitInfo;
import dev.tollgate.core.repo.RepositoryView;
import dev.tollgate.policy.PullRequestFacts;
import dev.tollgate.policy.PullRequestSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The facts the merge gate reads, gathered for a {@link GateTarget} with as few API requests as the
 * policy allows:
 *
 * <ul>
 *   <li>title, branch, labels, base and head: from the target (a pull-request event's payload);
 *   <li>changed files and commit messages: from the checkout with JGit when it has the base and
 *       head commits ({@code fetch-depth: 0}); else from the API (the pull request, then its files,
 *       and its commits when the policy reads them), unless GitHub cannot list them all (over
 *       {@value GithubClient#MAX_LISTED_FILES} files) or the pull request moved on after the run
 *       started;
 *   <li>approvals: from the API (the pull request's reviews), only when the policy reads them
 *       ({@link Wanted}).
 * </ul>
 *
 * <p>File contents (for the secrets gate) come from the checkout's Git objects, else from the API.
 * Files at the base (the policy) come from the checkout when it has the base commit, else from the
 * API, so a shallow checkout ({@code actions/checkout}'s default) still reads the policy as of the
 * base. {@link #notes()} says where each fact came from.
 */
public final class GithubFacts {
  /**
   * Which facts beyond the change the policy may read, so that only those are looked up.
   *
   * @param approvals the pull request's approvals (its reviews)
   * @param commitMessages the messages of its commits
   */
  public record Wanted(boolean approvals, boolean commitMessages) {
    /** Every fact, e.g. for a policy with custom gates. */
    public static Wanted everything() {
      return new Wanted(true, true);
    }
  }

  private final GateTarget target;
  private final String base;
  private final ChangeSet changes;
  private final String baseLabel;
  private final String baseCommit;
  private final List<String> notes;
  private final RepositoryView view;
  private final GithubClient client;
  private final RepositoryName repository;
  private PullRequestFacts facts;

  private GithubFacts(
      GateTarget target,
      String base,
      ChangeSet changes,
      List<String> notes,
      RepositoryView view,
      GithubClient client,
      RepositoryName repository) {
    this.target = target;
    this.base = base;
    this.changes = changes;
    this.baseLabel = target.baseRef().orElse(base);
    this.baseCommit = target.baseSha().orElse(base);
    this.notes = notes;
    this.view = view;
    this.client = client;
    this.repository = repository;
  }

  /**
   * The pull request {@code target} names as a source for {@link
   * dev.tollgate.policy.MergeGateService}: its facts are gathered as {@link #gather} does, in the
   * checkout the service opens, and the policy is read at the base and head commits.
   */
  public static PullRequestSource source(
      GateTarget target, GithubClient client, RepositoryName repository) {
    return new GithubSource(target, client, repository);
  }

  /**
   * Gathers the change of {@code target}; the other facts are read by {@link #facts(Wanted)}.
   *
   * @param view the checkout (its work tree holds the work items and Spec Kits)
   * @param defaultBase the base ref to use when the target names none (as {@code tollgate gate}
   *     picks it locally: {@code origin/main}, {@code main}, …)
   * @throws TollgateException of kind {@code BAD_INPUT} when the change must be read from the
   *     checkout and the checkout lacks its commits (a shallow clone): the message says to fetch
   *     them
   * @throws GithubApiException when GitHub rejects the token (401)
   */
  public static GithubFacts gather(
      GateTarget target,
      RepositoryView view,
      GithubClient client,
      RepositoryName repository,
      java.util.function.Supplier<String> defaultBase) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(defaultBase, "defaultBase");
    List<String> notes = new ArrayList<>(target.notes());
    String head = target.headSha();

    if (target.pullRequestChange()) {
      int number = target.pullRequest().orElseThrow();
      String baseSha = target.baseSha().orElseThrow();
      if (view.exists(baseSha) && view.exists(head)) {
        ChangeSet changes = view.changes(baseSha, head);
        notes.add(
            "changed files: "
                + changes.fileCount()
                + " from the checkout with Git (it has the base and head commits)");
        return new GithubFacts(target, baseSha, changes, notes, view, client, repository);
      }
      ChangeSet changes =
          new ChangeSet(baseSha, head, fromApi(target, number, view, client, repository));
      notes.add(
          "changed files: "
              + changes.fileCount()
              + " from the GitHub API (pull request #"
              + number
              + "; the checkout lacks its base or head commit)");
      return new GithubFacts(target, baseSha, changes, notes, view, client, repository);
    }
    String base = localBase(target, view, defaultBase);
    ChangeSet changes = local(view, base, head);
    notes.add(
        "changed files: "
            + changes.fileCount()
            + " from the checkout with Git (this event's change is read from the checkout)");
    return new GithubFacts(target, base, changes, notes, view, client, repository);
  }

  /**
   * The pull request's files from the API, for a checkout that lacks the base or head commit.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when GitHub cannot give them (the pull
   *     request moved on after the run started, or it changes more files than GitHub lists), of
   *     kind {@code COULD_NOT_FINISH} when the API fails: either way the message says to fetch the
   *     commits
   */
  private static List<ChangedFile> fromApi(
      GateTarget target,
      int number,
      RepositoryView view,
      GithubClient client,
      RepositoryName repository) {
    String baseSha = target.baseSha().orElseThrow();
    String missing =
        !view.exists(baseSha)
            ? "the base commit " + baseSha
            : "the head commit " + target.headSha();
    String fetch =
        "; check out with 'fetch-depth: 0' (actions/checkout) so that the base and head commits"
            + " are present";
    try {
      // Which head GitHub's list is for: the pull request may have moved on since the event.
      PullRequestSnapshot now =
          target.snapshot().orElseGet(() -> client.pullRequest(repository, number));
      if (!now.headSha().equals(target.headSha())) {
        throw TollgateException.badInput(
            "the checkout lacks "
                + missing
                + ", which Git needs to read the change, and the GitHub API lists the files of"
                + " pull request #"
                + number
                + " as of "
                + CommitInfo.abbreviate(now.headSha())
                + ", which it moved on to after this run started"
                + fetch);
      }
      return client
          .pullRequestFiles(repository, number)
          .orElseThrow(
              () ->
                  TollgateException.badInput(
                      "the checkout lacks "
                          + missing
                          + ", which Git needs to read the change, and GitHub lists at most "
                          + GithubClient.MAX_LISTED_FILES
                          + " changed files of a pull request"
                          + fetch));
    } catch (GithubApiException e) {
      if (e.reason() == GithubApiException.Reason.UNAUTHORIZED) {
        throw e;
      }
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "the checkout lacks "
              + missing
              + ", which Git needs to read the change, and the GitHub API could not list the"
              + " changed files: "
              + e.getMessage()
              + fetch,
          e);
    }
  }

  /**
   * The facts for the merge gate, reading what {@code wanted} asks beyond the change: approvals
   * from the pull request's reviews, and commit messages from the API when the checkout lacks the
   * commits. What is not wanted stays unknown (no approvals, no messages) and the notes say so.
   * Read once: later calls return the same facts.
   *
   * @throws GithubApiException when GitHub rejects the token (401); other API failures leave the
   *     fact unknown, with a note
   */
  public PullRequestFacts facts(Wanted wanted) {
    Objects.requireNonNull(wanted, "wanted");
    if (facts == null) {
      facts =
          new PullRequestFacts(
              target.branch(),
              target.title().filter(t -> !t.isBlank()),
              target.labels(),
              approvals(wanted),
              changes,
              messages(wanted),
              file -> content(file, view, client, repository));
    }
    return facts;
  }

  private OptionalInt approvals(Wanted wanted) {
    if (target.pullRequest().isEmpty()) {
      return OptionalInt.empty();
    }
    int number = target.pullRequest().getAsInt();
    if (!wanted.approvals()) {
      notes.add("approvals: not read (no gate of the policy uses them)");
      return OptionalInt.empty();
    }
    try {
      int n = client.approvals(repository, number);
      notes.add("approvals: " + n + " from the GitHub API (reviews of #" + number + ")");
      return OptionalInt.of(n);
    } catch (GithubApiException e) {
      if (e.reason() == GithubApiException.Reason.UNAUTHORIZED) {
        throw e;
      }
      notes.add("approvals: unknown, the reviews could not be read (" + e.getMessage() + ")");
      return OptionalInt.empty();
    }
  }

  private List<String> messages(Wanted wanted) {
    String head = target.headSha();
    if (view.exists(base) && view.exists(head)) {
      return view.commitsBetween(base, head).stream().map(CommitInfo::message).toList();
    }
    if (!wanted.commitMessages()) {
      notes.add("commit messages: not read (no gate of the policy uses them)");
      return List.of();
    }
    if (target.pullRequest().isEmpty() || !target.pullRequestChange()) {
      notes.add("commit messages: unknown (the checkout lacks the commits)");
      return List.of();
    }
    int number = target.pullRequest().getAsInt();
    try {
      Optional<List<String>> listed = client.commitMessages(repository, number);
      if (listed.isEmpty()) {
        notes.add(
            "commit messages: unknown (the checkout lacks the commits and GitHub lists at most "
                + GithubClient.MAX_LISTED_COMMITS
                + ")");
        return List.of();
      }
      notes.add(
          "commit messages: "
              + listed.get().size()
              + " from the GitHub API (commits of #"
              + number
              + ")");
      return listed.get();
    } catch (GithubApiException e) {
      if (e.reason() == GithubApiException.Reason.UNAUTHORIZED) {
        throw e;
      }
      notes.add("commit messages: unknown, the commits could not be read (" + e.getMessage() + ")");
      return List.of();
    }
  }

  /** The base as shown to people, e.g. {@code main}. */
  public String baseLabel() {
    return baseLabel;
  }

  /** The base commit (or the ref the checkout resolved it from). */
  public String baseCommit() {
    return baseCommit;
  }

  /** The head as shown to people, e.g. the pull request's branch. */
  public String headLabel() {
    return target.headRef();
  }

  /** The head commit. */
  public String headCommit() {
    return target.headSha();
  }

  /** The change: the files between the base (their merge base) and the head. */
  public ChangeSet changes() {
    return changes;
  }

  /**
   * Where the facts came from, for the job summary; complete once {@link #facts(Wanted)} was
   * called.
   */
  public List<String> notes() {
    return List.copyOf(notes);
  }

  /**
   * The content of {@code path} at {@code commit}: from the checkout when it has the commit, else
   * from the API; empty when the commit has no such file.
   */
  public Optional<byte[]> fileAt(String commit, String path) {
    if (view.exists(commit)) {
      return view.file(commit, path);
    }
    return client.file(repository, path, commit);
  }

  private static String localBase(
      GateTarget target, RepositoryView view, java.util.function.Supplier<String> defaultBase) {
    if (target.baseSha().isPresent() && view.exists(target.baseSha().get())) {
      return target.baseSha().get();
    }
    if (target.baseSha().isPresent()) {
      throw shallow(target.baseSha().get(), "the base");
    }
    if (target.baseRef().isPresent()) {
      for (String candidate : List.of("origin/" + target.baseRef().get(), target.baseRef().get())) {
        if (view.exists(candidate)) {
          return candidate;
        }
      }
    }
    return defaultBase.get();
  }

  private static ChangeSet local(RepositoryView view, String base, String head) {
    if (!view.exists(head)) {
      throw shallow(head, "the head");
    }
    return view.changes(base, head);
  }

  private static TollgateException shallow(String commit, String what) {
    return TollgateException.badInput(
        "the checkout lacks "
            + what
            + " commit "
            + commit
            + ", which Git needs to read the change; check out with 'fetch-depth: 0'"
            + " (actions/checkout) so that the base and head commits are present");
  }

  private static Optional<byte[]> content(
      ChangedFile file, RepositoryView view, GithubClient client, RepositoryName repository) {
    if (file.blobId().isEmpty()) {
      return Optional.empty();
    }
    String id = file.blobId().get();
    try {
      return Optional.of(view.blob(id));
    } catch (TollgateException e) {
      if (e.kind() != TollgateException.Kind.BAD_INPUT) {
        throw e;
      }
      // A shallow checkout lacks the head's objects; GitHub has them.
      return Optional.of(client.blob(repository, id));
    }
  }
}
