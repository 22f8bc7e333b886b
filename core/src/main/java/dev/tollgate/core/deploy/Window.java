package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One allow or deny period of a {@link WindowSpec}: a {@link Recurring} window that opens at every
 * occurrence of a cron expression and lasts a fixed duration, or a {@link OneOff} window between
 * two instants. Every window covers its start and not its end.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public sealed interface Window permits Window.Recurring, Window.OneOff {

  /** What people call the window, e.g. "Friday freeze"; empty when the file gives none. */
  Optional<String> name();

  /** How the window reads in messages: its name, else its definition. */
  String describe();

  /**
   * A window that opens at each occurrence of {@code cron} (UNIX five fields: minute, hour,
   * day-of-month, month, day-of-week, read in the spec's time zone) and stays open for {@code
   * duration} of elapsed time.
   */
  record Recurring(Optional<String> name, String cron, Duration duration) implements Window {
    private static final CronParser PARSER =
        new CronParser(
            CronDefinitionBuilder.instanceDefinitionFor(com.cronutils.model.CronType.UNIX));

    /** Checks that the cron expression parses and the duration is positive. */
    public Recurring {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(cron, "cron");
      try {
        PARSER.parse(cron).validate();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "cron '"
                + cron
                + "' is not a five-field UNIX cron expression (minute hour day-of-month month"
                + " day-of-week): "
                + e.getMessage());
      }
      Specs.positive(duration, "duration of window '" + cron + "'");
    }

    /** The parsed expression, for schedule computations. */
    public com.cronutils.model.Cron parsed() {
      return PARSER.parse(cron);
    }

    @Override
    public String describe() {
      String what =
          "cron '" + cron + "' for " + dev.tollgate.core.config.Durations.format(duration);
      return name.map(n -> n + " (" + what + ")").orElse(what);
    }
  }

  /** A window from {@code start} (included) to {@code end} (excluded). */
  record OneOff(Optional<String> name, Instant start, Instant end) implements Window {
    /** Checks that the window ends after it starts. */
    public OneOff {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
      if (!end.isAfter(start)) {
        throw new IllegalArgumentException(
            "window end " + end + " must be after its start " + start);
      }
    }

    @Override
    public String describe() {
      String what = start + "–" + end;
      return name.map(n -> n + " (" + what + ")").orElse(what);
    }
  }
}
