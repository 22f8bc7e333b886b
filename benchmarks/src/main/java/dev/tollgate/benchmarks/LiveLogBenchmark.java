package dev.tollgate.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.controlplane.BearerTokens;
import dev.tollgate.controlplane.ControlPlane;
import dev.tollgate.controlplane.ControlPlaneServer;
import dev.tollgate.controlplane.Identity;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.postgres.Migrations;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.Lease;
import dev.tollgate.core.runs.NewEvent;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunQueue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many people watching one live log: {@code --viewers} Server-Sent Events streams of one run's log
 * through the control plane in embedded Jetty, while a worker appends {@code --lines} lines at
 * {@code --rate} lines per second. Prints the delay from a line's append to its arrival at each
 * viewer (p50/p90/p99/max over every delivery), the CPU the server's JVM and PostgreSQL used while
 * the lines flowed, and the database's transactions per second, measured once with one viewer and
 * once with all of them, with the number of connections the server listens on and how often it
 * reads the run's events: the same figures mean one listener and one reader per server, however
 * many watch.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/tollgate-benchmarks.jar:benchmarks/target/lib/*" \
 *     dev.tollgate.benchmarks.LiveLogBenchmark --viewers 200 --lines 100 --rate 10
 * </pre>
 */
public final class LiveLogBenchmark {
  private static final String SCHEMA = "live_log_bench";
  private static final String TOKEN = "tgt_live-log-benchmark";
  private static final ObjectMapper JSON = new ObjectMapper();

  private LiveLogBenchmark() {}

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv, Set.of(), Set.of("viewers", "lines", "rate", "database-url"));
    int viewers = Integer.parseInt(args.string("viewers", "200"));
    int lines = Integer.parseInt(args.string("lines", "100"));
    int rate = Integer.parseInt(args.string("rate", "10"));
    try (Server server = Server.open(args.string("database-url", null), true, false);
        Database db = Database.connect(server.settings(), SCHEMA, 8)) {
      Migrations.apply(db.dataSource(), db.schema());
      RunQueue queue = PostgresRunQueue.open(db.dataSource(), SCHEMA);
      RunQueue counted = countingReads(queue);
      ControlPlane plane =
          ControlPlane.builder()
              .runs(counted)
              .authenticator(
                  BearerTokens.of(
                      Map.of(BearerTokens.hash(TOKEN), Identity.withAllScopes("bench"))))
              .build();
      Cpu cpu = server.cpu();
      try (ControlPlaneServer http = ControlPlaneServer.start(plane, "127.0.0.1", 0, "")) {
        System.out.printf(
            Locale.ROOT,
            "live-log benchmark: %d lines at %d/s; delay from append to each viewer%n",
            lines,
            rate);
        System.out.printf(
            Locale.ROOT,
            "%8s %11s %9s %9s %9s %9s %10s %10s %8s %9s %11s%n",
            "viewers",
            "deliveries",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "max ms",
            "JVM cpu s",
            "PG cpu s",
            "db tx/s",
            "listeners",
            "log reads/s");
        for (int n : viewers == 1 ? new int[] {1} : new int[] {1, viewers}) {
          round(db, queue, http.uri(), cpu, n, lines, rate);
        }
      }
    }
  }

  private static void round(
      Database db, RunQueue queue, URI base, Cpu cpu, int viewers, int lines, int rate)
      throws Exception {
    String lane = "live-" + viewers;
    queue.enqueue(NewRun.builder("watched").lane(lane).build());
    Run run = queue.claim("bench-worker", List.of(lane), 1).get(0);
    Lease lease = run.lease();
    HttpClient client = HttpClient.newBuilder().executor(Executors.newCachedThreadPool()).build();
    ExecutorService readers = Executors.newFixedThreadPool(viewers);
    CountDownLatch connected = new CountDownLatch(viewers);
    CountDownLatch done = new CountDownLatch(viewers);
    ConcurrentLinkedQueue<Double> delays = new ConcurrentLinkedQueue<>();
    AtomicInteger failures = new AtomicInteger();
    URI stream = base.resolve("api/runs/" + run.id() + "/stream");
    for (int v = 0; v < viewers; v++) {
      readers.execute(
          () -> {
            int seen = 0;
            try {
              HttpResponse<java.util.stream.Stream<String>> r =
                  client.send(
                      HttpRequest.newBuilder(stream)
                          .header("Authorization", "Bearer " + TOKEN)
                          .build(),
                      HttpResponse.BodyHandlers.ofLines());
              var it = r.body().iterator();
              boolean counted = false;
              while (seen < lines && it.hasNext()) {
                String line = it.next();
                if (!counted && line.startsWith("retry:")) {
                  connected.countDown();
                  counted = true;
                }
                if (line.startsWith("data: {") && line.contains("\"bench ")) {
                  long now = System.nanoTime();
                  JsonNode e = JSON.readTree(line.substring(6));
                  String[] parts = e.get("message").asText().split(" ");
                  delays.add((now - Long.parseLong(parts[2])) / 1e6);
                  seen++;
                }
              }
              r.body().close();
            } catch (Exception e) {
              failures.incrementAndGet();
              connected.countDown();
            } finally {
              done.countDown();
            }
          });
    }
    if (!connected.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("viewers did not connect within 60 s");
    }
    Thread.sleep(500);
    int listeners = listeners(db);
    long reads0 = LOG_READS.get();
    long tx0 = transactions(db);
    Cpu.Snapshot c0 = cpu.read();
    long t0 = System.nanoTime();
    long every = TimeUnit.SECONDS.toNanos(1) / rate;
    for (int i = 0; i < lines; i++) {
      long due = t0 + i * every;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      queue.appendEvents(
          lease, List.of(NewEvent.output("stdout", "bench " + i + " " + System.nanoTime())));
    }
    boolean all = done.await(60, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - t0) / 1e9;
    Cpu.Snapshot c1 = cpu.read();
    long tx1 = transactions(db);
    long reads1 = LOG_READS.get();
    readers.shutdownNow();
    double[] ms = delays.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(ms);
    Cpu.Snapshot used = c1.minus(c0);
    System.out.printf(
        Locale.ROOT,
        "%8d %11d %9s %9s %9s %9s %10.2f %10s %8.1f %9d %11.1f%s%n",
        viewers,
        ms.length,
        Figures.f1(Figures.percentile(ms, 50)),
        Figures.f1(Figures.percentile(ms, 90)),
        Figures.f1(Figures.percentile(ms, 99)),
        Figures.f1(Figures.percentile(ms, 100)),
        used.jvm(),
        Double.isNaN(used.postgres()) || used.postgres() < 0
            ? "n/a"
            : String.format(Locale.ROOT, "%.2f", used.postgres()),
        (tx1 - tx0) / seconds,
        listeners,
        (reads1 - reads0) / seconds,
        all && failures.get() == 0
            ? ""
            : "  (" + failures.get() + " viewers failed; all arrived: " + all + ")");
  }

  /** Reads of a run's events by the server (its live log and any page), counted by the proxy. */
  private static final java.util.concurrent.atomic.AtomicLong LOG_READS =
      new java.util.concurrent.atomic.AtomicLong();

  /** {@code queue}, counting its {@code events} reads in {@link #LOG_READS}. */
  private static RunQueue countingReads(RunQueue queue) {
    return (RunQueue)
        java.lang.reflect.Proxy.newProxyInstance(
            RunQueue.class.getClassLoader(),
            new Class<?>[] {RunQueue.class},
            (proxy, method, args) -> {
              if (method.getName().equals("events")) {
                LOG_READS.incrementAndGet();
              }
              try {
                return method.invoke(queue, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** The server's connections listening for log announcements (pg_stat_activity). */
  private static int listeners(Database db) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tollgate live log "
                    + SCHEMA
                    + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Transactions committed in the database so far (pg_stat_database). */
  private static long transactions(Database db) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_stat_clear_snapshot()");
      try (ResultSet rs =
          s.executeQuery(
              "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
