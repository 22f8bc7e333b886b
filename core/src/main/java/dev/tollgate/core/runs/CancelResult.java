package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** What cancelling a run did. */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum CancelResult {
  /** It was queued and is now cancelled; it never starts. */
  CANCELLED,
  /** It is running; its worker stops it within one heartbeat interval. */
  CANCEL_REQUESTED,
  /** It had already finished and is unaffected. */
  UNCHANGED,
  /** No run has that id. */
  NOT_FOUND
}
