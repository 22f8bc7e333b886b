package dev.tollgate.cli;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.repo.RepositoryView;
import dev.tollgate.core.workitem.Backlog;
import dev.tollgate.core.workitem.Blocker;
import dev.tollgate.core.workitem.FileWorkItemStore;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.core.workitem.WorkItemStatus;
import dev.tollgate.policy.Lane;
import dev.tollgate.policy.Policy;
import dev.tollgate.policy.PolicyEngine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The facts {@code tollgate items show} adds to a work item: how fresh the snapshot is, which of
 * its signals disagree (drift), and what its prompt/context file holds.
 *
 * @param file the item's file as shown to users, e.g. {@code work-items/wi-1.yml}
 * @param freshness how old the snapshot is; empty when the store has no files
 * @param drift the signals that disagree, each with reconciliation guidance
 * @param prompt the item's prompt/context file
 */
record ItemDetail(
    String file, Optional<Freshness> freshness, List<Drift> drift, PromptContext prompt) {

  /** How much of a prompt file is read to find its first heading. */
  static final int PROMPT_READ_LIMIT = 1 << 20;

  /**
   * The age of the snapshot an item was read from.
   *
   * @param snapshotAt when the item's file was last modified, to the second
   * @param observedAt now, by the injected clock, to the second
   * @param age how long ago the file changed; zero when its time is in the future
   */
  record Freshness(Instant snapshotAt, Instant observedAt, Duration age) {
    /** The age for people: {@code 45s}, {@code 12m}, {@code 3h 5m}, {@code 4d 2h}. */
    String ageText() {
      long s = age.getSeconds();
      if (s < 60) {
        return s + "s";
      }
      if (s < 3600) {
        return (s / 60) + "m";
      }
      if (s < 86400) {
        return (s / 3600) + "h " + (s % 3600 / 60) + "m";
      }
      return (s / 86400) + "d " + (s % 86400 / 3600) + "h";
    }
  }

  /**
   * Two signals about an item that disagree.
   *
   * @param signal a stable id, e.g. {@code in-progress-without-branch}
   * @param detail what disagrees, naming the item
   * @param guidance how to reconcile it
   */
  record Drift(String signal, String detail, String guidance) {}

  /**
   * An item's prompt/context file.
   *
   * @param path relative to the project root, {@code /}-separated
   * @param insideProject whether the path stays inside the project root (it is not read otherwise)
   * @param exists whether it is a regular file
   * @param readable whether it could be read
   * @param size its size in bytes; empty when it does not exist
   * @param firstHeading the text of its first Markdown heading; empty when it has none
   */
  record PromptContext(
      String path,
      boolean insideProject,
      boolean exists,
      boolean readable,
      Optional<Long> size,
      Optional<String> firstHeading) {}

  /** The detail of {@code item}, observed now according to {@code now}. */
  static ItemDetail of(PolicyEngine engine, Path root, WorkItem item, Instant now) {
    String file = FileWorkItemStore.DIRECTORY + "/" + item.id() + ".yml";
    Optional<Freshness> freshness = Optional.empty();
    if (engine.store() instanceof FileWorkItemStore files) {
      file = files.displayPath(item.id());
      freshness = freshness(root.resolve(file), now);
    }
    List<Drift> drift =
        new ArrayList<>(drift(engine.policy(), engine.store().backlog(), item, file));
    unmergedBranch(root, item, file).ifPresent(drift::add);
    return new ItemDetail(file, freshness, List.copyOf(drift), prompt(root, item));
  }

  /**
   * The drift of a done item whose branch still has commits that the main line does not, read with
   * JGit from the repository holding {@code root}; empty when the item is not done, names no
   * branch, the project is not in a Git repository, or the branch is not there (deleted after
   * merging, or never fetched).
   */
  static Optional<Drift> unmergedBranch(Path root, WorkItem item, String file) {
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

  private static Optional<Freshness> freshness(Path file, Instant now) {
    try {
      Instant modified =
          Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.SECONDS);
      Instant observed = now.truncatedTo(ChronoUnit.SECONDS);
      Duration age = Duration.between(modified, observed);
      return Optional.of(new Freshness(modified, observed, age.isNegative() ? Duration.ZERO : age));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The signals of {@code item} that disagree with each other or with the backlog. */
  static List<Drift> drift(Policy policy, Backlog backlog, WorkItem item, String file) {
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

  /** What the prompt/context file of {@code item} is, without leaving the project root. */
  static PromptContext prompt(Path root, WorkItem item) {
    String rel = item.promptPath();
    Path base = root.toAbsolutePath().normalize();
    Path file = base.resolve(rel).normalize();
    if (!file.startsWith(base) || !realPathInside(base, file)) {
      return new PromptContext(rel, false, false, false, Optional.empty(), Optional.empty());
    }
    if (!Files.isRegularFile(file)) {
      return new PromptContext(rel, true, false, false, Optional.empty(), Optional.empty());
    }
    Optional<Long> size;
    try {
      size = Optional.of(Files.size(file));
    } catch (IOException e) {
      size = Optional.empty();
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(PROMPT_READ_LIMIT);
    } catch (IOException e) {
      return new PromptContext(rel, true, true, false, size, Optional.empty());
    }
    return new PromptContext(
        rel, true, true, true, size, firstHeading(new String(head, StandardCharsets.UTF_8)));
  }

  /** Whether {@code file}, with symbolic links followed, is still under {@code root}. */
  private static boolean realPathInside(Path root, Path file) {
    if (!Files.exists(file)) {
      return true; // nothing is read from a missing file
    }
    try {
      return file.toRealPath().startsWith(root.toRealPath());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The text of the first Markdown heading of {@code markdown}: an ATX heading ({@code # Title}) or
   * a setext heading (a line underlined with {@code =} or {@code -}), skipping YAML front matter
   * and fenced code blocks.
   */
  static Optional<String> firstHeading(String markdown) {
    String[] lines = markdown.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    int i = 0;
    if (lines.length > 0 && lines[0].strip().equals("---")) {
      for (i = 1; i < lines.length && !lines[i].strip().equals("---"); i++) {
        // skip the front matter
      }
      i++;
    }
    String fence = null;
    String paragraph = null;
    for (; i < lines.length; i++) {
      String line = lines[i];
      String indentless = line.stripLeading();
      boolean shallow = line.length() - indentless.length() <= 3;
      if (fence != null) {
        if (shallow && indentless.startsWith(fence)) {
          fence = null;
        }
        continue;
      }
      if (shallow && (indentless.startsWith("```") || indentless.startsWith("~~~"))) {
        fence = indentless.substring(0, 3);
        paragraph = null;
        continue;
      }
      if (shallow && indentless.startsWith("#")) {
        int level = 0;
        while (level < indentless.length() && indentless.charAt(level) == '#') {
          level++;
        }
        if (level <= 6 && (level == indentless.length() || indentless.charAt(level) == ' ')) {
          String text = indentless.substring(level).strip().replaceAll("(^|\\s+)#+$", "").strip();
          if (!text.isEmpty()) {
            return Optional.of(text);
          }
          continue;
        }
      }
      String trimmed = line.strip();
      if (paragraph != null
          && shallow
          && !trimmed.isEmpty()
          && (trimmed.chars().allMatch(c -> c == '=') || trimmed.chars().allMatch(c -> c == '-'))) {
        return Optional.of(paragraph);
      }
      paragraph =
          trimmed.isEmpty() ? null : (paragraph == null ? trimmed : paragraph + " " + trimmed);
    }
    return Optional.empty();
  }
}
