package dev.tollgate.core.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresRunQueue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunQueueMetricsTest {
  @Test
  void queue_depth_per_lane_and_running_runs_are_exposed_as_meters() {
    try (Database db = TestDatabase.freshSchema("metrics", 2)) {
      RunQueue queue = PostgresRunQueue.open(db.dataSource(), db.schema());
      queue.enqueue(NewRun.builder("a").lane("blue").build());
      queue.enqueue(NewRun.builder("a").lane("blue").build());
      queue.enqueue(NewRun.builder("a").lane("green").build());
      queue.claim("w", List.of("green"), 1);

      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      new RunQueueMetrics(queue, Duration.ZERO).bindTo(registry);

      assertThat(registry.get("tollgate.queue.depth").tag("lane", "blue").gauge().value())
          .isEqualTo(2.0);
      assertThat(registry.get("tollgate.runs.running").gauge().value()).isEqualTo(1.0);
      assertThat(registry.get("tollgate.runs.stuck.24h").gauge().value()).isZero();
    }
  }
}
