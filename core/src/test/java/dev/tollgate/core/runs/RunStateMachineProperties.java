package dev.tollgate.core.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresRunQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * The run state machine against a model: random sequences of enqueue, claim, heartbeat, complete
 * (with current and stale leases), complete-and-claim, cancel, release and sweep leave every run
 * exactly where the model says, and never hand one attempt to two workers.
 */
class RunStateMachineProperties {

  private static Database db;
  private static RunQueue queue;

  @BeforeContainer
  static void open() {
    db = TestDatabase.freshSchema("statemachine", 4);
    queue = PostgresRunQueue.open(db.dataSource(), db.schema());
  }

  @AfterContainer
  static void close() {
    db.close();
  }

  /** What the model expects of one run. */
  static final class ModelRun {
    final long id;
    final int maxAttempts;
    RunStatus status = RunStatus.QUEUED;
    int attempt;
    int releases;
    String worker;
    boolean cancelRequested;

    ModelRun(long id, int maxAttempts) {
      this.id = id;
      this.maxAttempts = maxAttempts;
    }

    Lease lease() {
      return new Lease(id, attempt, worker);
    }
  }

  /** The model: runs of one lane, in enqueue order, and every lease ever handed out. */
  static final class Model {
    final String lane = "sm-" + UUID.randomUUID().toString().substring(0, 8);
    final Map<Long, ModelRun> runs = new LinkedHashMap<>();
    final List<Lease> leases = new ArrayList<>();

    ModelRun pick(int index) {
      List<ModelRun> all = new ArrayList<>(runs.values());
      return all.isEmpty() ? null : all.get(Math.floorMod(index, all.size()));
    }

    void check() {
      for (ModelRun expected : runs.values()) {
        Run actual = queue.find(expected.id).orElseThrow();
        assertThat(actual.status()).as("status of run %d", expected.id).isEqualTo(expected.status);
        assertThat(actual.attempt())
            .as("attempt of run %d", expected.id)
            .isEqualTo(expected.attempt);
        assertThat(actual.workerId())
            .as("worker of run %d", expected.id)
            .isEqualTo(expected.status == RunStatus.RUNNING ? expected.worker : null);
      }
    }
  }

  @Property(tries = 25)
  void the_queue_follows_the_model(@ForAll("chains") ActionChain<Model> chain) {
    chain.withInvariant(Model::check).run();
  }

  @Provide
  Arbitrary<ActionChain<Model>> chains() {
    return ActionChain.startWith(Model::new)
        .withAction(3, new Enqueue())
        .withAction(3, new Claim())
        .withAction(2, new Beat())
        .withAction(3, new Complete())
        .withAction(2, new CompleteAndClaim())
        .withAction(2, new Cancel())
        .withAction(1, new Release())
        .withAction(1, new Sweep())
        .withMaxTransformations(30);
  }

  static final class Enqueue implements Action.Independent<Model> {
    @Override
    public Arbitrary<Transformer<Model>> transformer() {
      return Arbitraries.integers()
          .between(1, 3)
          .map(
              max ->
                  Transformer.mutate(
                      "enqueue(max " + max + ")",
                      m -> {
                        Run run =
                            queue
                                .enqueue(
                                    NewRun.builder("sm")
                                        .lane(m.lane)
                                        .maxAttempts(max)
                                        .backoff(Duration.ZERO, Duration.ZERO)
                                        .build())
                                .run();
                        m.runs.put(run.id(), new ModelRun(run.id(), max));
                      }));
    }
  }

  static final class Claim implements Action.Independent<Model> {
    @Override
    public Arbitrary<Transformer<Model>> transformer() {
      return Combinators.combine(
              Arbitraries.of("a", "b", "c"), Arbitraries.integers().between(1, 3))
          .as(
              (worker, limit) ->
                  Transformer.mutate(
                      "claim(" + worker + ", " + limit + ")",
                      m -> {
                        List<Run> claimed = queue.claim(worker, List.of(m.lane), limit);
                        List<Long> expected =
                            m.runs.values().stream()
                                .filter(r -> r.status == RunStatus.QUEUED)
                                .map(r -> r.id)
                                .limit(limit)
                                .toList();
                        assertThat(claimed).extracting(Run::id).containsExactlyElementsOf(expected);
                        for (Run run : claimed) {
                          ModelRun r = m.runs.get(run.id());
                          r.status = RunStatus.RUNNING;
                          r.attempt++;
                          r.worker = worker;
                          Lease lease = r.lease();
                          assertThat(m.leases).doesNotContain(lease);
                          m.leases.add(lease);
                        }
                      }));
    }
  }

  static final class Beat implements Action.Independent<Model> {
    @Override
    public Arbitrary<Transformer<Model>> transformer() {
      return Arbitraries.integers()
          .map(
              i ->
                  Transformer.mutate(
                      "heartbeat(lease #" + i + ")",
                      m -> {
                        if (m.leases.isEmpty()) {
                          return;
                        }
                        Lease lease = m.leases.get(Math.floorMod(i, m.leases.size()));
                        ModelRun r = m.runs.get(lease.runId());
                        Heartbeat expected =
                            r.status != RunStatus.RUNNING || !r.lease().equals(lease)
                                ? Heartbeat.LOST
                                : r.cancelRequested ? Heartbeat.CANCEL_REQUESTED : Heartbeat.OK;
                        assertThat(queue.heartbeat(lease)).isEqualTo(expected);
                      }));
    }
  }

  static final class Complete implements Action.Independent<Model> {
    @Override
    public Arbitrary<Transformer<Model>> transformer() {
      return Combinators.combine(
              Arbitraries.integers(),
              Arbitraries.of(RunStatus.SUCCESS, RunStatus.ERROR, RunStatus.CANCELLED))
          .as(
              (i, status) ->
                  Transformer.mutate(
                      "complete(lease #" + i + ", " + status.wireName() + ")",
                      m -> {
                        if (m.leases.isEmpty()) {
                          return;
                        }
                        Lease lease = m.leases.get(Math.floorMod(i, m.leases.size()));
                        ModelRun r = m.runs.get(lease.runId());
                        CompletionResult result =
                            queue.complete(new Completion(lease, status, null));
                        if (r.status != RunStatus.RUNNING || !r.lease().equals(lease)) {
                          assertThat(result.lost()).isTrue();
                          return;
                        }
                        r.status = r.cancelRequested ? RunStatus.CANCELLED : status;
                        assertThat(result.finalStatus()).contains(r.status);
                      }));
    }
  }

  /** A completion that claims in its transaction: the completion's and the claim's rules hold. */
  static final class CompleteAndClaim implements Action.Independent<Model> {
    @Override
    public Arbitrary<Transformer<Model>> transformer() {
      return Combinators.combine(
              Arbitraries.integers(),
              Arbitraries.of(RunStatus.SUCCESS, RunStatus.ERROR, RunStatus.CANCELLED),
              Arbitraries.integers().between(1, 3))
          .as(
              (i, status, limit) ->
                  Transformer.mutate(
                      "completeAndClaim(lease #"
                          + i
                          + ", "
                          + status.wireName()
                          + ", "
                          + limit
                          + ")",
                      m -> {
                        if (m.leases.isEmpty()) {
                          return;
                        }
                        Lease lease = m.leases.get(Math.floorMod(i, m.leases.size()));
                        ModelRun r = m.runs.get(lease.runId());
                        boolean current = r.status == RunStatus.RUNNING && r.lease().equals(lease);
                        CompletedAndClaimed result =
                            queue.completeAndClaim(
                                new Completion(lease, status, null),
                                List.of(),
                                List.of(m.lane),
                                limit);
                        if (current) {
                          r.status = r.cancelRequested ? RunStatus.CANCELLED : status;
                          assertThat(result.completion().finalStatus()).contains(r.status);
                        } else {
                          assertThat(result.completion().lost()).isTrue();
                        }
                        List<Long> expected =
                            m.runs.values().stream()
                                .filter(q -> q.status == RunStatus.QUEUED)
                                .map(q -> q.id)
                                .limit(limit)
                                .toList();
                        assertThat(result.claimed())
                            .extracting(Run::id)
                            .containsExactlyElementsOf(expected);
                        for (Run run : result.claimed()) {
                          ModelRun claimed = m.runs.get(run.id());
                          claimed.status = RunStatus.RUNNING;
                          claimed.attempt++;
                          claimed.worker = lease.workerId();
                          Lease fresh = claimed.lease();
                          assertThat(m.leases).doesNotContain(fresh);
                          m.leases.add(fresh);
                        }
                      }));
    }
  }

  static final class Cancel implements Action.Independent<Model> {
    @Override
    public Arbitrary<Transformer<Model>> transformer() {
      return Arbitraries.integers()
          .map(
              i ->
                  Transformer.mutate(
                      "cancel(run #" + i + ")",
                      m -> {
                        ModelRun r = m.pick(i);
                        if (r == null) {
                          return;
                        }
                        CancelResult result = queue.cancel(r.id, "property");
                        switch (r.status) {
                          case QUEUED -> {
                            assertThat(result).isEqualTo(CancelResult.CANCELLED);
                            r.status = RunStatus.CANCELLED;
                            r.cancelRequested = true;
                          }
                          case RUNNING -> {
                            assertThat(result).isEqualTo(CancelResult.CANCEL_REQUESTED);
                            r.cancelRequested = true;
                          }
                          default -> assertThat(result).isEqualTo(CancelResult.UNCHANGED);
                        }
                      }));
    }
  }

  static final class Release implements Action.Independent<Model> {
    @Override
    public Arbitrary<Transformer<Model>> transformer() {
      return Arbitraries.integers()
          .map(
              i ->
                  Transformer.mutate(
                      "release(lease #" + i + ")",
                      m -> {
                        if (m.leases.isEmpty()) {
                          return;
                        }
                        Lease lease = m.leases.get(Math.floorMod(i, m.leases.size()));
                        ModelRun r = m.runs.get(lease.runId());
                        boolean valid = r.status == RunStatus.RUNNING && r.lease().equals(lease);
                        assertThat(queue.release(lease)).isEqualTo(valid);
                        if (valid) {
                          r.releases++;
                          r.status = r.cancelRequested ? RunStatus.CANCELLED : RunStatus.QUEUED;
                        }
                      }));
    }
  }

  static final class Sweep implements Action.Independent<Model> {
    @Override
    public Arbitrary<Transformer<Model>> transformer() {
      return Arbitraries.just(
          Transformer.mutate(
              "sweep(all running runs are stale)",
              m -> {
                TestDatabase.execute(
                    db.dataSource(),
                    "UPDATE "
                        + db.schema()
                        + ".runs SET heartbeat_at = now() - interval '1 hour' WHERE status ="
                        + " 'running'");
                queue.sweep(Duration.ofMinutes(1), 10_000);
                for (ModelRun r : m.runs.values()) {
                  if (r.status != RunStatus.RUNNING) {
                    continue;
                  }
                  if (r.cancelRequested) {
                    r.status = RunStatus.CANCELLED;
                  } else if (r.attempt - r.releases >= r.maxAttempts) {
                    r.status = RunStatus.ERROR;
                  } else {
                    r.status = RunStatus.QUEUED;
                  }
                }
              }));
    }
  }
}
