package dev.tollgate.core.runs;

/** What cancelling a run did. */
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
