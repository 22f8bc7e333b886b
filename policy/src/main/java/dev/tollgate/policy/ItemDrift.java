package dev.tollgate.policy;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.repo.RepositoryView;
import dev.tollgate.core.workitem.Backlog;
import dev.tollgate.core.workitem.Blocker;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.core.workitem.WorkItemStatus;
import dev.tollgate.policy.ItemDetail.Drift;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the drift of a work item: signals about it that disagree with each other, with the backlog,
 * or with the Git repository holding the project, each with reconciliation guidance.
 */
final class ItemDrift {
  private ItemDrift() {}

  /**
   * Every drift signal of {@code item}: those read from the item and the backlog, then the one read
   * from Git.
   *
   * @param file the item's file relative to the project root, named in guidance
   */
  public static List<Drift> of(
      Policy policy, Backlog backlog, Path root, WorkItem item, String file) {
    List<Drift> out = new ArrayList<>(signals(policy, backlog, item, file));
    unmergedBranch(root, item).ifPresent(out::add);
    return List.copyOf(out);
  }

  /**
   * The drift of a done item whose branch still has commits that the main line does not, read with
   * JGit from the repository holding {@code root}; empty when the item is not done, names no
   * branch, the project is not in a Git repository, or the branch is not there (deleted after
   * merging, or never fetched).
   */
  static Optional<Drift> unmergedBranch(Path root, WorkItem item) {
    if (item.status() != WorkItemStatus.DONE || item.branch().isEmpty()) {
      return Optional.empty();
    }
    String branch = item.branch().get();
    RepositoryView view;
    try {
      view = RepositoryView.open(root);
    } catch (TollgateException notARepository) {
      return Optional.empty();
    }
    try (view) {
      Optional<String> mainLine =
          firstExisting(view, List.of("origin/main", "main", "origin/master", "master"));
      Optional<String> head = firstExisting(view, List.of(branch, "origin/" + branch));
      if (mainLine.isEmpty() || head.isEmpty()) {
        return Optional.empty();
      }
      int unmerged = view.commitsBetween(mainLine.get(), head.get()).size();
      if (unmerged == 0) {
        return Optional.empty();
      }
      return Optional.of(
          new Drift(
              "done-with-unmerged-commits",
              item.id()
                  + " is done but its branch "
                  + head.get()
                  + " has "
                  + unmerged
                  + (unmerged == 1 ? " commit" : " commits")
                  + " not in "
                  + mainLine.get(),
              "Find out whether that work shipped: merge the branch through a pull request, or"
                  + " delete it if it was abandoned; if more delivery is needed, create a net-new"
                  + " work item (done items stay closed) rather than reopening "
                  + item.id()));
    } catch (TollgateException unreadable) {
      return Optional.empty();
    }
  }

  private static Optional<String> firstExisting(RepositoryView view, List<String> refs) {
    for (String ref : refs) {
      try {
        view.commit(ref);
        return Optional.of(ref);
      } catch (TollgateException unknown) {
        // try the next candidate
      }
    }
    return Optional.empty();
  }

  /** The signals of {@code item} that disagree with each other or with the backlog. */
  static List<Drift> signals(Policy policy, Backlog backlog, WorkItem item, String file) {
    List<Drift> out = new ArrayList<>();
    String id = item.id();
    boolean done = item.status() == WorkItemStatus.DONE;
    List<Blocker> open = backlog.blockers(item).stream().filter(Blocker::blocking).toList();
    if (done && !open.isEmpty()) {
      out.add(
          new Drift(
              "done-with-open-blockers",
              id
                  + " is done but still lists open blockers: "
                  + String.join("; ", open.stream().map(Blocker::describe).toList()),
              "Check what was delivered: if the blockers no longer apply, remove them from"
                  + " blockers in "
                  + file
                  + "; if delivery is incomplete, create a net-new work item for the rest"
                  + " (done items stay closed)"));
    }
    if (item.status() == WorkItemStatus.IN_PROGRESS && item.branch().isEmpty()) {
      out.add(
          new Drift(
              "in-progress-without-branch",
              id + " is in progress but names no branch",
              "Set branch: in "
                  + file
                  + " to the Git branch the work is delivered on; if nobody is working on it,"
                  + " move it back through the policy's transitions"));
    }
    if (done && item.pr().isEmpty()) {
      out.add(
          new Drift(
              "done-without-pr",
              id + " is done but links no pull request",
              "Set pr: in "
                  + file
                  + " to the URL of the pull request that delivered it, or record why it shipped"
                  + " without one with the record-history action"));
    }
    Optional<Lane> lane = policy.lane(item.lane());
    boolean terminal = lane.map(Lane::terminal).orElse(false);
    List<String> terminalLanes =
        policy.lanes().stream().filter(Lane::terminal).map(Lane::id).toList();
    if (terminal && !done) {
      out.add(
          new Drift(
              "terminal-lane-not-done",
              id
                  + " is in the terminal lane "
                  + item.lane()
                  + " but its status is "
                  + item.status().label(),
              "Items in a terminal lane are delivered: set status: done in "
                  + file
                  + ", or create a net-new work item if delivery is incomplete"));
    } else if (done && !terminal && !terminalLanes.isEmpty()) {
      out.add(
          new Drift(
              "done-outside-terminal-lane",
              id + " is done but sits in lane " + item.lane(),
              "Move it to "
                  + String.join(" or ", terminalLanes)
                  + " with the policy's actions if it was delivered, or set its status back in "
                  + file
                  + " if work remains"));
    }
    return out;
  }
}
