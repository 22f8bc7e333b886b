package dev.tollgate.core.runs.exec;

import dev.tollgate.core.runs.step.EventSink;
import dev.tollgate.core.runs.step.StepEvent;
import java.util.ArrayList;
import java.util.List;

/** An event sink for tests: keeps every event in order. */
final class Recorder implements EventSink {
  private final List<StepEvent> events = new ArrayList<>();

  @Override
  public synchronized void emit(StepEvent event) {
    events.add(event);
  }

  synchronized List<StepEvent> events() {
    return List.copyOf(events);
  }

  /** The lines written to {@code stream}, in order. */
  synchronized List<String> lines(StepEvent.Stream stream) {
    return events.stream()
        .filter(e -> e instanceof StepEvent.Output o && o.stream() == stream)
        .map(StepEvent::text)
        .toList();
  }

  synchronized List<String> kinds() {
    return events.stream().map(StepEvent::kind).toList();
  }

  synchronized <T extends StepEvent> List<T> of(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
