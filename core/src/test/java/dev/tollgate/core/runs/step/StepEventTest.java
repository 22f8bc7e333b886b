package dev.tollgate.core.runs.step;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.runs.NewEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StepEventTest {
  @Test
  void an_output_line_is_logged_with_its_stream_text_and_data() {
    NewEvent e =
        new StepEvent.Output("build", Instant.EPOCH, StepEvent.Stream.STDERR, "warning: x")
            .toNewEvent();
    assertThat(e.kind()).isEqualTo("output");
    assertThat(e.stream()).isEqualTo("stderr");
    assertThat(e.message()).isEqualTo("warning: x");
    assertThat(e.data().get("step").asText()).isEqualTo("build");
  }

  @Test
  void other_events_have_no_stream_and_keep_their_data_in_order() {
    NewEvent e =
        new StepEvent.Started("deploy", Instant.EPOCH, "shell", "./deploy.sh", 60_000).toNewEvent();
    assertThat(e.kind()).isEqualTo("step_started");
    assertThat(e.stream()).isNull();
    assertThat(e.message()).isEqualTo("./deploy.sh");
    assertThat(e.data().toString())
        .isEqualTo("{\"step\":\"deploy\",\"step_kind\":\"shell\",\"timeout_ms\":60000}");
  }
}
