package dev.tollgate.core.workitem;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Arrays;
import java.util.Optional;
import org.apiguardian.api.API;

/** The delivery status of a work item: open, in progress, done or deferred. */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum WorkItemStatus {
  /** Not started. */
  OPEN("open"),
  /** Being worked on. */
  IN_PROGRESS("in-progress"),
  /** Delivered; a done item stays closed. */
  DONE("done"),
  /** Put aside; neither active nor finished. */
  DEFERRED("deferred");

  private final String label;

  WorkItemStatus(String label) {
    this.label = label;
  }

  /** The spelling used in files and output: {@code open}, {@code in-progress}, ... */
  public String label() {
    return label;
  }

  /** Whether the item is finished, so it no longer blocks other items. */
  public boolean finished() {
    return this == DONE;
  }

  /** The status spelled {@code label}, exactly as written in files. */
  public static Optional<WorkItemStatus> parse(String label) {
    return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst();
  }
}
