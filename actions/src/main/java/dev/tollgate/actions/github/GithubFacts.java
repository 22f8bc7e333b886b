package dev.tollgate.actions.github;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.repo.ChangeSet;
import dev.tollgate.core.repo.ChangedFile;
import dev.tollgate.core.repo.CommitInfo;
import dev.tollgate.core.repo.RepositoryView;
import dev.tollgate.policy.PullRequestFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The facts the merge gate reads, gathered for a {@link GateTarget}: from the GitHub API where it
 * has them (title, labels, approvals, changed files, commit messages), and from the checkout with
 * JGit where it does not: when GitHub cannot list every file (over {@value
 * GithubClient#MAX_LISTED_FILES}), for push and merge-group runs, or when the pull request moved on
 * after the run started.
 *
 * <p>File contents (for the secrets gate) come from the checkout's Git objects, else from the API.
 * Files at the base (the policy) come from the checkout when it has the base commit, else from the
 * API, so a shallow checkout ({@code actions/checkout}'s default) still reads the policy as of the
 * base.
 */
public final class GithubFacts {
  private final PullRequestFacts facts;
  private final String baseLabel;
  private final String baseCommit;
  private final String headLabel;
  private final String headCommit;
  private final List<String> notes;
  private final RepositoryView view;
  private final GithubClient client;
  private final RepositoryName repository;

  private GithubFacts(
      PullRequestFacts facts,
      String baseLabel,
      String baseCommit,
      String headLabel,
      String headCommit,
      List<String> notes,
      RepositoryView view,
      GithubClient client,
      RepositoryName repository) {
    this.facts = facts;
    this.baseLabel = baseLabel;
    this.baseCommit = baseCommit;
    this.headLabel = headLabel;
    this.headCommit = headCommit;
    this.notes = List.copyOf(notes);
    this.view = view;
    this.client = client;
    this.repository = repository;
  }

  /**
   * Gathers the facts of {@code target}.
   *
   * @param view the checkout (its work tree holds the work items and Spec Kits)
   * @param defaultBase the base ref to use when the target names none (as {@code tollgate gate}
   *     picks it locally: {@code origin/main}, {@code main}, …)
   * @throws TollgateException of kind {@code BAD_INPUT} when the change must be read from the
   *     checkout and the checkout lacks its commits (a shallow clone): the message says to fetch
   *     them
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
    Optional<PullRequestSnapshot> pr = target.snapshot();

    Optional<ChangeSet> fromApi =
        target.filesFromApi() ? pr.flatMap(PullRequestSnapshot::changes) : Optional.empty();
    String base;
    ChangeSet changes;
    List<String> messages;
    if (fromApi.isPresent()) {
      changes = fromApi.get();
      base = target.baseSha().orElseThrow();
      notes.add(
          "changed files: "
              + changes.fileCount()
              + " from the GitHub API (pull request #"
              + pr.get().number()
              + ")");
      messages =
          pr.get()
              .commitMessages()
              .orElseGet(() -> localMessages(view, base, target.headSha(), notes));
    } else {
      base = localBase(target, view, defaultBase);
      String why =
          target.filesFromApi() && pr.isPresent()
              ? pr.get().changesNote().orElse("the API did not list them")
              : "this event's change is read from the checkout";
      changes = local(view, base, target.headSha(), why);
      notes.add(
          "changed files: " + changes.fileCount() + " from the checkout with Git (" + why + ")");
      messages = localMessages(view, base, target.headSha(), notes);
    }

    PullRequestFacts facts =
        new PullRequestFacts(
            target.branch(),
            target.title().filter(t -> !t.isBlank()),
            target.labels(),
            target.approvals(),
            changes,
            messages,
            file -> content(file, view, client, repository));
    String baseLabel = target.baseRef().orElse(base);
    return new GithubFacts(
        facts,
        baseLabel,
        target.baseSha().orElse(base),
        target.headRef(),
        target.headSha(),
        notes,
        view,
        client,
        repository);
  }

  /** The facts for the merge gate. */
  public PullRequestFacts facts() {
    return facts;
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
    return headLabel;
  }

  /** The head commit. */
  public String headCommit() {
    return headCommit;
  }

  /** Where the facts came from, for the job summary. */
  public List<String> notes() {
    return notes;
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

  private static ChangeSet local(RepositoryView view, String base, String head, String why) {
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

  private static List<String> localMessages(
      RepositoryView view, String base, String head, List<String> notes) {
    if (view.exists(base) && view.exists(head)) {
      return view.commitsBetween(base, head).stream().map(CommitInfo::message).toList();
    }
    notes.add(
        "commit messages: unknown (the checkout lacks the commits and GitHub listed too many)");
    return List.of();
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
