package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.workitem.Blocker;
import dev.tollgate.core.workitem.Epic;
import dev.tollgate.core.workitem.Freshness;
import dev.tollgate.core.workitem.WorkItem;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One work item in detail, as {@link WorkItemService#detail} builds it for every front end: the
 * item (execution context, lifecycle, history), its epic and blockers, its queue truth (how fresh
 * its data is and which of its signals disagree, with reconciliation guidance), its prompt/context
 * file, and the actions it offers to one actor.
 *
 * <p>Any Jackson {@code ObjectMapper} serialises it as {@link WorkItemJson#detail}, the payload of
 * {@code tollgate items show --format json}: the same JSON for the CLI, the control plane and
 * embedders.
 *
 * @param item the item
 * @param epic its epic as the policy declares it; empty when it has none
 * @param laneTitle the title of its lane
 * @param file its file relative to the project root, e.g. {@code work-items/wi-1.yml}
 * @param blockers what it waits for, in the order its file lists them
 * @param queueTruth how fresh its data is and which of its signals disagree
 * @param prompt its prompt/context file
 * @param actor whose permissions {@code actions} were evaluated for; empty when nobody was named
 * @param actions every action of the catalog as offered for it, in catalog order
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record ItemDetail(
    WorkItem item,
    Optional<Epic> epic,
    String laneTitle,
    String file,
    List<Blocker> blockers,
    QueueTruth queueTruth,
    PromptContext prompt,
    Optional<String> actor,
    List<ActionView> actions) {

  /** Checks that every field is present. */
  public ItemDetail {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(epic, "epic");
    Objects.requireNonNull(laneTitle, "laneTitle");
    Objects.requireNonNull(file, "file");
    blockers = List.copyOf(blockers);
    Objects.requireNonNull(queueTruth, "queueTruth");
    Objects.requireNonNull(prompt, "prompt");
    actor = Objects.requireNonNull(actor, "actor").filter(a -> !a.isBlank());
    actions = List.copyOf(actions);
  }

  /** Whether a blocker still blocks the item. */
  public boolean blocked() {
    return blockers.stream().anyMatch(Blocker::blocking);
  }

  /**
   * A copy whose {@code file} is shown as {@code shownAs}: a front end that knows where its user
   * stands (the CLI's {@code --dir}) shows the path from there.
   */
  public ItemDetail withFile(String shownAs) {
    return new ItemDetail(
        item, epic, laneTitle, shownAs, blockers, queueTruth, prompt, actor, actions);
  }

  /** The JSON payload; see {@link WorkItemJson#detail}. */
  @JsonValue
  public ObjectNode toJson() {
    return WorkItemJson.detail(this);
  }

  /**
   * What is true of the item's data as opposed to what it claims: how fresh it is and which of its
   * signals disagree.
   *
   * @param freshness how old the item's data is and whether it is fresh; empty when the store
   *     cannot tell when it was written
   * @param drift the signals that disagree, each with reconciliation guidance
   */
  public record QueueTruth(Optional<Freshness> freshness, List<Drift> drift) {
    /** Checks that every field is present. */
    public QueueTruth {
      Objects.requireNonNull(freshness, "freshness");
      drift = List.copyOf(drift);
    }

    /** Whether the item's signals agree (there is no drift). */
    public boolean inSync() {
      return drift.isEmpty();
    }
  }

  /**
   * Two signals about an item that disagree.
   *
   * @param signal a stable id, e.g. {@code in-progress-without-branch}
   * @param detail what disagrees, naming the item
   * @param guidance how to reconcile it
   */
  public record Drift(String signal, String detail, String guidance) {
    /** Checks that every field is present. */
    public Drift {
      Objects.requireNonNull(signal, "signal");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(guidance, "guidance");
    }
  }

  /**
   * An item's prompt/context file, read only inside the project.
   *
   * @param path relative to the project root, {@code /}-separated
   * @param access whether it could be read, and if not why
   * @param size its size in bytes; empty when it is not there or outside the project
   * @param firstHeading the text of its first Markdown heading; empty when it has none or was not
   *     read
   */
  public record PromptContext(
      String path, Access access, Optional<Long> size, Optional<String> firstHeading) {

    /** How far a prompt file could be read. */
    public enum Access {
      /** The path, with symbolic links followed, leaves the project: it is not read. */
      OUTSIDE_PROJECT,
      /** No regular file is there. */
      MISSING,
      /** The file is there but could not be read. */
      UNREADABLE,
      /** The file was read. */
      READABLE
    }

    /** Checks that every field is present and that only a read file has a heading. */
    public PromptContext {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(access, "access");
      Objects.requireNonNull(size, "size");
      Objects.requireNonNull(firstHeading, "firstHeading");
      if (firstHeading.isPresent() && access != Access.READABLE) {
        throw new IllegalArgumentException(
            "only a readable prompt file has a heading, but " + path + " is " + access);
      }
    }

    /** A prompt path that leads out of the project; it is not read. */
    public static PromptContext outsideProject(String path) {
      return new PromptContext(path, Access.OUTSIDE_PROJECT, Optional.empty(), Optional.empty());
    }

    /** A prompt path where no regular file is. */
    public static PromptContext missing(String path) {
      return new PromptContext(path, Access.MISSING, Optional.empty(), Optional.empty());
    }

    /** A prompt file that is there but could not be read; its size when known. */
    public static PromptContext unreadable(String path, Optional<Long> size) {
      return new PromptContext(path, Access.UNREADABLE, size, Optional.empty());
    }

    /** A prompt file that was read. */
    public static PromptContext readable(
        String path, Optional<Long> size, Optional<String> firstHeading) {
      return new PromptContext(path, Access.READABLE, size, firstHeading);
    }

    /** Whether the path stays inside the project root, symbolic links followed. */
    public boolean insideProject() {
      return access != Access.OUTSIDE_PROJECT;
    }

    /** Whether it is a regular file inside the project. */
    public boolean exists() {
      return access == Access.UNREADABLE || access == Access.READABLE;
    }

    /** Whether it could be read. */
    public boolean readable() {
      return access == Access.READABLE;
    }
  }
}
