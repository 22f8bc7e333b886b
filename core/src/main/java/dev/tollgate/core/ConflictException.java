package dev.tollgate.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A write lost a race: what it was based on changed since it was read (compare and set failed), so
 * nothing was written. Read again and retry. Of kind {@link Kind#COULD_NOT_FINISH}, so the runner
 * still exits 3; the control plane answers 409.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class ConflictException extends TollgateException {
  private static final long serialVersionUID = 1L;

  /** A conflict described by {@code message}. */
  public ConflictException(String message) {
    super(Kind.COULD_NOT_FINISH, message);
  }
}
