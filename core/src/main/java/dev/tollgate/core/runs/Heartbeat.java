package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** What the queue answers a worker's heartbeat for one run. */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum Heartbeat {
  /** Keep going. */
  OK,
  /** Someone cancelled the run: stop it and complete it as cancelled. */
  CANCEL_REQUESTED,
  /** The run is no longer this worker's attempt (it was swept): stop and write nothing more. */
  LOST
}
