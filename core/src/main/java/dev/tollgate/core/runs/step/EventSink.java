package dev.tollgate.core.runs.step;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Where a running step's events go; the worker's sink appends them to the run's event log.
 *
 * <p>The {@link dev.tollgate.core.runs.exec.StepRunner} calls it from more than one thread (output
 * is read on threads of its own) but never from two at once, and never after the step's {@link
 * StepEvent.Finished} event. Every text it receives is already masked. It should not throw: an
 * exception is kept, the step runs on, and the first one is rethrown by {@link
 * dev.tollgate.core.runs.exec.StepRunner#run} once the step has ended.
 */
@FunctionalInterface
@API(status = EXPERIMENTAL, since = "0.1.0")
public interface EventSink {

  /** Takes one event. */
  void emit(StepEvent event);

  /** A sink that drops every event. */
  static EventSink discard() {
    return event -> {};
  }
}
