package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.TollgateException;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The failure of a merge-gate request that names no base when none of its candidate bases exists in
 * the repository. It is bad input ({@code BAD_INPUT}) and carries the candidates tried, so that a
 * front end can say how to name the base in its own terms.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class MissingBaseException extends TollgateException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> candidates;

  /** A failure after trying {@code candidates}, in order. */
  public MissingBaseException(List<String> candidates) {
    super(
        Kind.BAD_INPUT,
        "no base to gate against: none of " + String.join(", ", candidates) + " exists");
    this.candidates = List.copyOf(candidates);
  }

  /** The refs tried as the base, in order. */
  public List<String> candidates() {
    return candidates;
  }
}
