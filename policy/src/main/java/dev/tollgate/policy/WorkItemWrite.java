package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.workitem.FieldChange;
import dev.tollgate.core.workitem.HistoryEntry;
import dev.tollgate.core.workitem.WorkItem;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What {@link WorkItemService#create} or {@link WorkItemService#update} did: the item as stored,
 * the fields that changed, and the history entry appended. Any Jackson {@code ObjectMapper}
 * serialises it as {@link WorkItemJson#write}.
 *
 * @param kind whether the item was created or updated
 * @param actor who wrote it
 * @param item the item as stored afterwards
 * @param file its file relative to the project root, e.g. {@code work-items/wi-1.yml}
 * @param changes the fields that changed, in the order of the item's file
 * @param entry the history entry appended; empty when an update changed nothing and nothing was
 *     written
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record WorkItemWrite(
    Kind kind,
    String actor,
    WorkItem item,
    String file,
    List<FieldChange> changes,
    Optional<HistoryEntry> entry) {

  /** Which write it was. */
  public enum Kind {
    /** A new item was added. */
    CREATE("create"),
    /** An existing item was changed. */
    UPDATE("update");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** The spelling used in output and as the history entry's action. */
    public String label() {
      return label;
    }
  }

  /** Checks that every field is present and that an entry was appended exactly when it changed. */
  public WorkItemWrite {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(file, "file");
    changes = List.copyOf(changes);
    Objects.requireNonNull(entry, "entry");
    if (changes.isEmpty() == entry.isPresent()) {
      throw new IllegalArgumentException(
          "a write appends a history entry exactly when it changes something");
    }
  }

  /** Whether the item was written (an update that changes nothing writes nothing). */
  public boolean written() {
    return entry.isPresent();
  }

  /** A copy whose {@code file} is shown as {@code shownAs}; see {@link ItemDetail#withFile}. */
  public WorkItemWrite withFile(String shownAs) {
    return new WorkItemWrite(kind, actor, item, shownAs, changes, entry);
  }

  /** The JSON payload; see {@link WorkItemJson#write}. */
  @JsonValue
  public ObjectNode toJson() {
    return WorkItemJson.write(this);
  }
}
