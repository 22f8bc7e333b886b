package dev.tollgate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.LogWatch;
import dev.tollgate.core.runs.NewEvent;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunQueue;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the server's live log learns of new lines: from the database's notifications while its watch
 * is live, by polling while it is not.
 */
class LiveLogTest {
  private static final String TOKEN = "tgt_live-log-test-token";

  private Database db;
  private RunQueue real;
  private ControlPlaneServer server;
  private Demo.Client client;
  private final AtomicInteger eventReads = new AtomicInteger();

  @BeforeEach
  void open() {
    db = TestDatabase.freshSchema("cp_livelog", 4);
    real = PostgresRunQueue.open(db.dataSource(), db.schema());
  }

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
    db.close();
  }

  /** Serves the console over {@code queue}, counting how often a run's events are read. */
  private void serve(boolean canAnnounce) {
    RunQueue counting =
        (RunQueue)
            Proxy.newProxyInstance(
                RunQueue.class.getClassLoader(),
                new Class<?>[] {RunQueue.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("events")) {
                    eventReads.incrementAndGet();
                  }
                  if (method.getName().equals("watchLogs") && !canAnnounce) {
                    return LogWatch.none();
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    ControlPlane plane =
        ControlPlane.builder()
            .runs(counting)
            .authenticator(
                BearerTokens.of(
                    Map.of(BearerTokens.hash(TOKEN), new Identity("lee", EnumSet.of(Scope.READ)))))
            .build();
    server = ControlPlaneServer.start(plane, "127.0.0.1", 0, "");
    client = new Demo.Client(server.uri());
  }

  private Run running(String lane) {
    real.enqueue(NewRun.builder("live").lane(lane).build());
    return real.claim("w", List.of(lane), 1).get(0);
  }

  private BlockingQueue<String> stream(long runId) throws Exception {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpResponse<java.util.stream.Stream<String>> r =
        HttpClient.newHttpClient()
            .sendAsync(
                client
                    .get("/api/runs/" + runId + "/stream")
                    .header("Authorization", "Bearer " + TOKEN)
                    .build(),
                HttpResponse.BodyHandlers.ofLines())
            .get(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    Thread reader = new Thread(() -> r.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private static void await(BlockingQueue<String> lines, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line != null && line.startsWith("data: ") && line.contains(text)) {
        return;
      }
    }
    throw new AssertionError("no event with " + text + " within 15 s");
  }

  private void append(Run run, String line) {
    assertThat(real.appendEvents(run.lease(), List.of(NewEvent.output("stdout", line)))).isTrue();
  }

  @Test
  void while_its_watch_is_live_an_idle_run_is_read_once_a_second_and_a_new_line_still_arrives()
      throws Exception {
    serve(true);
    Run run = running("announced");
    BlockingQueue<String> lines = stream(run.id());
    await(lines, "\"kind\":\"enqueued\"");
    append(run, "first");
    await(lines, "first");
    Thread.sleep(1_000); // the listener is connected and the watch registered by now

    int before = eventReads.get();
    Thread.sleep(2_000);
    int idleReads = eventReads.get() - before;
    // Polling every 50 ms would have read it about 40 times; the once-a-second check reads it 2 or
    // 3 times.
    assertThat(idleReads).isLessThanOrEqualTo(6);

    append(run, "second");
    await(lines, "second");
  }

  @Test
  void a_queue_that_cannot_announce_appends_is_polled_and_its_lines_arrive() throws Exception {
    serve(false);
    Run run = running("polled");
    BlockingQueue<String> lines = stream(run.id());
    await(lines, "\"kind\":\"enqueued\"");

    append(run, "found by polling");

    await(lines, "found by polling");
  }

  @Test
  void lines_keep_arriving_when_the_database_listener_is_killed() throws Exception {
    serve(true);
    Run run = running("killed");
    BlockingQueue<String> lines = stream(run.id());
    await(lines, "\"kind\":\"enqueued\"");
    append(run, "before");
    await(lines, "before");

    assertThat(TestDatabase.terminate(db.dataSource(), "tollgate live log " + db.schema()))
        .as("the server's listener")
        .isOne();
    append(run, "while reconnecting");
    await(lines, "while reconnecting");
    append(run, "after");
    await(lines, "after");
  }
}
