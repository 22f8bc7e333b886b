package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Whether a deploy may start now under an environment's windows: {@link Open}, {@link Closed}, or
 * {@link NoRunway} when a window is open but closes before the deploy could finish.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public sealed interface WindowDecision {

  /** One sentence explaining the decision. */
  String reason();

  /** Whether a deploy may start. */
  default boolean allowsStart() {
    return this instanceof Open;
  }

  /**
   * Deploys may start.
   *
   * @param closesAt when the open period ends; empty when nothing will close it
   * @param reason why it is open, e.g. which allow window
   */
  record Open(Optional<Instant> closesAt, String reason) implements WindowDecision {
    /** Checks the fields. */
    public Open {
      Objects.requireNonNull(closesAt, "closesAt");
      Specs.text(reason, "reason");
    }
  }

  /**
   * No deploy may start.
   *
   * @param reason which window closes it, e.g. {@code deny: Friday freeze}
   * @param nextOpen the next instant a deploy may start; empty when none within the search horizon
   */
  record Closed(String reason, Optional<Instant> nextOpen) implements WindowDecision {
    /** Checks the fields. */
    public Closed {
      Specs.text(reason, "reason");
      Objects.requireNonNull(nextOpen, "nextOpen");
    }
  }

  /**
   * A window is open, but closes before a deploy started now could finish.
   *
   * @param closesAt when the open period ends
   * @param needed how long a deploy needs: the longer of the runway and the expected duration
   */
  record NoRunway(Instant closesAt, Duration needed) implements WindowDecision {
    /** Checks the fields. */
    public NoRunway {
      Objects.requireNonNull(closesAt, "closesAt");
      Specs.positive(needed, "needed");
    }

    @Override
    public String reason() {
      return "the window closes at "
          + closesAt
          + ", too soon for a deploy that needs "
          + dev.tollgate.core.config.Durations.format(needed);
    }
  }
}
