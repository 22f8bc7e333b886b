package dev.tollgate.core;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The one unchecked exception Tollgate's library code throws for problems a caller must handle: bad
 * input the user can fix, or work that could not finish.
 *
 * <p>It carries structured {@link Diagnostic}s rather than a pre-formatted string, so the runner
 * can render them in the same shape as any other finding and choose the exit code from {@link
 * #kind()}.
 */
@API(status = STABLE, since = "0.1.0")
public class TollgateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure this is; the runner maps it to an exit code. */
  public enum Kind {
    /** The input is wrong: a missing path, an unreadable file, an invalid config. Exit code 2. */
    BAD_INPUT,
    /** The input may be fine but the work could not finish: I/O, database, network. Exit code 3. */
    COULD_NOT_FINISH
  }

  private final Kind kind;
  private final transient List<Diagnostic> diagnostics;

  /** An exception with a plain message and no diagnostics. */
  public TollgateException(Kind kind, String message) {
    this(kind, message, List.of(), null);
  }

  /** An exception with a plain message and a cause. */
  public TollgateException(Kind kind, String message, Throwable cause) {
    this(kind, message, List.of(), cause);
  }

  /** An exception carrying the diagnostics that explain it. */
  public TollgateException(
      Kind kind, String message, List<Diagnostic> diagnostics, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.diagnostics = List.copyOf(diagnostics);
  }

  /** A bad-input exception explained by one diagnostic; its message is the diagnostic's text. */
  public static TollgateException badInput(Diagnostic diagnostic) {
    return new TollgateException(
        Kind.BAD_INPUT,
        diagnostic.location() + ": " + diagnostic.message(),
        List.of(diagnostic),
        null);
  }

  /** A bad-input exception with a plain message. */
  public static TollgateException badInput(String message) {
    return new TollgateException(Kind.BAD_INPUT, message);
  }

  /** Whether the input was wrong or the work could not finish. */
  public Kind kind() {
    return kind;
  }

  /** The diagnostics explaining the failure, possibly empty. */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }
}
