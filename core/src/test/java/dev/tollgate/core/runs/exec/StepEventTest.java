package dev.tollgate.core.runs.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.runs.NewEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StepEventTest {
  @Test
  void anOutputLineIsLoggedWithItsStreamTextAndData() {
    NewEvent e =
        new StepEvent.Output("build", Instant.EPOCH, StepEvent.Stream.STDERR, "warning: x")
            .toNewEvent();
    assertThat(e.kind()).isEqualTo("output");
    assertThat(e.stream()).isEqualTo("stderr");
    assertThat(e.message()).isEqualTo("warning: x");
    assertThat(e.data().get("step").asText()).isEqualTo("build");
  }

  @Test
  void otherEventsHaveNoStreamAndKeepTheirDataInOrder() {
    NewEvent e =
        new StepEvent.Started("deploy", Instant.EPOCH, "shell", "./deploy.sh", 60_000).toNewEvent();
    assertThat(e.kind()).isEqualTo("step_started");
    assertThat(e.stream()).isNull();
    assertThat(e.message()).isEqualTo("./deploy.sh");
    assertThat(e.data().toString())
        .isEqualTo("{\"step\":\"deploy\",\"step_kind\":\"shell\",\"timeout_ms\":60000}");
  }
}
