package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * When deploys to an environment may start: allow and deny windows in one IANA time zone, the
 * runway a deploy needs before a window closes, and what happens to a deploy still running when a
 * window closes. See {@link DeployWindows} for the evaluation rules.
 *
 * @param timezone the zone cron expressions and local one-off times are read in; default UTC
 * @param allow windows deploys may start in; empty means always, unless denied
 * @param deny windows no deploy may start in; a deny window beats any allow window
 * @param runway the least time that must remain before the open period ends for a deploy to start;
 *     default 0
 * @param onClose what a deploy still running when its window closes does; default {@link
 *     OnClose#FINISH}
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record WindowSpec(
    ZoneId timezone, List<Window> allow, List<Window> deny, Duration runway, OnClose onClose) {

  /** What a running deploy does when its window closes. */
  public enum OnClose {
    /** The deploy runs to its end; only new starts are refused. */
    FINISH,
    /** The deploy stops and its rollback runs. */
    ABORT_AND_ROLLBACK
  }

  /** No windows: always open, no runway, finish on close, UTC. */
  public static final WindowSpec ALWAYS_OPEN =
      new WindowSpec(ZoneId.of("UTC"), List.of(), List.of(), Duration.ZERO, OnClose.FINISH);

  /** Checks every field. */
  public WindowSpec {
    Objects.requireNonNull(timezone, "timezone");
    allow = List.copyOf(Objects.requireNonNull(allow, "allow"));
    deny = List.copyOf(Objects.requireNonNull(deny, "deny"));
    Specs.notNegative(runway, "windows.runway");
    Objects.requireNonNull(onClose, "onClose");
  }
}
