package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import org.apiguardian.api.API;

/** The state of a run: waiting in the queue, being executed, or finished in one of three ways. */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum RunStatus {
  /** Waiting for a worker (possibly not before its {@code available_at}). */
  QUEUED,
  /** Claimed by a worker that heartbeats it. */
  RUNNING,
  /** Finished; every step succeeded. */
  SUCCESS,
  /** Finished; a step failed, or the attempts ran out after lost workers. */
  ERROR,
  /** Finished because someone cancelled it. */
  CANCELLED;

  /** Returns whether the run can no longer change. */
  public boolean isTerminal() {
    return this == SUCCESS || this == ERROR || this == CANCELLED;
  }

  /** Returns the name used in the database, the CLI and JSON: lower case. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static RunStatus fromWire(String name) {
    for (RunStatus s : values()) {
      if (s.wireName().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown run status '" + name + "'; expected queued, running, success, error or cancelled");
  }
}
