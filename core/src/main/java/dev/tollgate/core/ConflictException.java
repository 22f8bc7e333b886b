package dev.tollgate.core;

/**
 * A write lost a race: what it was based on changed since it was read (compare and set failed), so
 * nothing was written. Read again and retry. Of kind {@link Kind#COULD_NOT_FINISH}, so the runner
 * still exits 3; the control plane answers 409.
 */
public final class ConflictException extends TollgateException {
  private static final long serialVersionUID = 1L;

  /** A conflict described by {@code message}. */
  public ConflictException(String message) {
    super(Kind.COULD_NOT_FINISH, message);
  }
}
