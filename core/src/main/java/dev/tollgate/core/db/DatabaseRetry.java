package dev.tollgate.core.db;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.tollgate.core.TollgateException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Repeats a database call that failed to reach the database, with capped, jittered exponential
 * backoff, for up to a given time.
 *
 * <p>Only failures of kind {@link TollgateException.Kind#COULD_NOT_FINISH} (the database could not
 * be reached or did not commit) are retried; anything else is a bug or bad input and is thrown at
 * once. Use it only for calls that are safe to repeat: reads, and writes fenced by a lease. A
 * {@link dev.tollgate.core.runs.Worker} uses it for its writes, and {@code tollgate worker} for its
 * first connection.
 */
@API(status = INTERNAL, since = "0.1.0")
public final class DatabaseRetry {
  private static final Duration FIRST = Duration.ofMillis(50);
  private static final Duration MAX = Duration.ofSeconds(5);

  private final Duration patience;
  private final BiConsumer<String, RuntimeException> firstFailure;
  private final Predicate<TollgateException> retryable;

  private DatabaseRetry(
      Duration patience,
      BiConsumer<String, RuntimeException> firstFailure,
      Predicate<TollgateException> retryable) {
    this.patience = patience;
    this.firstFailure = firstFailure;
    this.retryable = retryable;
  }

  /**
   * A retry that keeps trying for {@code patience}; {@code firstFailure} hears of the first failure
   * of each call, with what the call does (e.g. to log "retrying").
   */
  public static DatabaseRetry of(
      Duration patience, BiConsumer<String, RuntimeException> firstFailure) {
    return new DatabaseRetry(
        patience, firstFailure, e -> e.kind() == TollgateException.Kind.COULD_NOT_FINISH);
  }

  /**
   * The same retry, narrowed to the failures {@code retryable} accepts among those of kind {@code
   * COULD_NOT_FINISH}, e.g. {@link #unreachable} ones only.
   */
  public DatabaseRetry onlyWhen(Predicate<TollgateException> retryable) {
    return new DatabaseRetry(patience, firstFailure, this.retryable.and(retryable));
  }

  /**
   * Whether {@code failure} (or a cause of it) says the database could not be reached at all: no
   * connection, a connection closed under it, a server shutting down or starting up. Wrong
   * credentials, a missing database or schema, and errors in SQL are not.
   */
  public static boolean unreachable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLTransientConnectionException
          || t instanceof java.sql.SQLRecoverableException
          || t instanceof java.net.ConnectException) {
        return true;
      }
      if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        // 08: connection exception; 57P01..03: admin shutdown, crash shutdown, cannot connect now.
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** What a call returned, and how many failures came before. */
  public record Result<T>(T value, int failures) {}

  /**
   * Calls {@code call}, which does {@code what}, until it returns, or throws its last failure once
   * the patience is spent.
   *
   * @throws TollgateException the last failure, also when the thread is interrupted while waiting
   *     (its interrupt flag is set again)
   */
  public <T> Result<T> call(String what, Supplier<T> call) {
    long deadline = System.nanoTime() + patience.toNanos();
    Duration delay = FIRST;
    int failures = 0;
    while (true) {
      try {
        return new Result<>(call.get(), failures);
      } catch (TollgateException e) {
        if (!retryable.test(e)) {
          throw e;
        }
        long pause =
            ThreadLocalRandom.current().nextLong(delay.toMillis() / 2, delay.toMillis() + 1);
        if (System.nanoTime() + pause * 1_000_000 > deadline) {
          throw e;
        }
        if (failures++ == 0) {
          firstFailure.accept(what, e);
        }
        try {
          Thread.sleep(pause);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        delay = delay.multipliedBy(2).compareTo(MAX) > 0 ? MAX : delay.multipliedBy(2);
      }
    }
  }
}
