package dev.tollgate.core.db.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.runs.Completion;
import dev.tollgate.core.runs.Lease;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a completion of several runs answers, and what a completion's message may hold. */
class CompletionMessageTest {

  @Test
  void completing_several_runs_answers_each_in_the_order_given_whatever_their_ids() {
    try (Database db = TestDatabase.freshSchema("completionorder", 2)) {
      JdbcRunQueue queue =
          new JdbcRunQueue(db.dataSource(), db.schema(), JdbcRunQueue.DEFAULT_MAX_ARTIFACT_BYTES);
      long low = queue.enqueue(NewRun.builder("noop").lane("o").build()).run().id();
      long middle = queue.enqueue(NewRun.builder("noop").lane("o").build()).run().id();
      long high = queue.enqueue(NewRun.builder("noop").lane("o").build()).run().id();
      assertThat(queue.claim("w", List.of("o"), 3)).hasSize(3);

      assertThat(
              queue.completeAll(
                  "w",
                  List.of(
                      new Completion(new Lease(high, 1, "w"), RunStatus.ERROR, "high"),
                      new Completion(new Lease(low, 2, "w"), RunStatus.SUCCESS, "stale"),
                      new Completion(new Lease(middle, 1, "w"), RunStatus.SUCCESS, "middle"))))
          .extracting(
              r -> r.runId() + " " + r.finalStatus().map(RunStatus::wireName).orElse("lost"))
          .containsExactly(high + " error", low + " lost", middle + " success");
      assertThat(queue.find(high).map(Run::message)).contains("high");
      assertThat(queue.find(low).map(Run::status)).contains(RunStatus.RUNNING);
    }
  }

  @Test
  void a_completion_message_with_a_nul_character_is_stored_with_a_replacement_character() {
    try (Database db = TestDatabase.freshSchema("completionmsg", 2)) {
      JdbcRunQueue queue =
          new JdbcRunQueue(db.dataSource(), db.schema(), JdbcRunQueue.DEFAULT_MAX_ARTIFACT_BYTES);
      long one = queue.enqueue(NewRun.builder("noop").lane("n").build()).run().id();
      long two = queue.enqueue(NewRun.builder("noop").lane("n").build()).run().id();
      long three = queue.enqueue(NewRun.builder("noop").lane("n").build()).run().id();
      assertThat(queue.claim("w", List.of("n"), 3)).hasSize(3);

      assertThat(
              queue
                  .complete(
                      new Completion(new Lease(one, 1, "w"), RunStatus.SUCCESS, "exit\u0000code"))
                  .finalStatus())
          .contains(RunStatus.SUCCESS);
      assertThat(
              queue.completeAll(
                  "w",
                  List.of(
                      new Completion(new Lease(two, 1, "w"), RunStatus.ERROR, "a\u0000b"),
                      new Completion(new Lease(three, 1, "w"), RunStatus.SUCCESS, "fine"))))
          .extracting(r -> r.finalStatus().orElseThrow())
          .containsExactly(RunStatus.ERROR, RunStatus.SUCCESS);
      assertThat(queue.find(one).map(Run::message)).contains("exit\uFFFDcode");
      assertThat(queue.find(two).map(Run::message)).contains("a\uFFFDb");
      assertThat(queue.find(three).map(Run::message)).contains("fine");
    }
  }
}
