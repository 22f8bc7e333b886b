package dev.tollgate.benchmarks;

import dev.tollgate.controlplane.BearerTokens;
import dev.tollgate.controlplane.ControlPlane;
import dev.tollgate.controlplane.ControlPlaneServer;
import dev.tollgate.controlplane.Identity;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.postgres.Migrations;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.RunQueue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How fast the control plane answers over a large history: stores {@code --runs} finished runs with
 * {@code --events} events each (default 1,000,000 and 10 = 10,000,000 events) plus a live queue,
 * serves the API and the runboard in embedded Jetty, and prints p50/p95/p99/max per request kind
 * over {@code --requests} sequential calls after a warm-up. Each kind is one page of what an
 * operator asks for: the newest runs, a deep keyset page, filters by status, lane, template and
 * time, a text search, the lanes with the running runs, one run's events and the HTML runboard.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/tollgate-benchmarks.jar:benchmarks/target/lib/*" \
 *     dev.tollgate.benchmarks.ConsoleBenchmark --runs 1000000 --events 10 --requests 200
 * </pre>
 */
public final class ConsoleBenchmark {
  private static final String SCHEMA = "console_bench";
  private static final String TOKEN = "tgt_console-benchmark";

  private ConsoleBenchmark() {}

  public static void main(String[] argv) throws Exception {
    Args args =
        Args.parse(
            argv,
            Set.of("keep-data"),
            Set.of("runs", "events", "requests", "warmup", "database-url"));
    int runs = Integer.parseInt(args.string("runs", "1000000"));
    int events = Integer.parseInt(args.string("events", "10"));
    int requests = Integer.parseInt(args.string("requests", "200"));
    int warmup = Integer.parseInt(args.string("warmup", "20"));
    System.out.printf(
        Locale.ROOT,
        "console benchmark: %,d finished runs, %,d events, %d requests per kind (after %d warm-up)%n",
        runs,
        (long) runs * events,
        requests,
        warmup);
    try (Server server =
            Server.open(args.string("database-url", null), true, args.flag("keep-data"));
        Database db = Database.connect(server.settings(), SCHEMA, 8)) {
      Migrations.apply(db.dataSource(), db.schema());
      long loadStart = System.nanoTime();
      load(db, runs, events);
      System.out.printf(
          Locale.ROOT,
          "loaded in %.1f s; load average %.2f%n",
          (System.nanoTime() - loadStart) / 1e9,
          loadAverage());
      RunQueue queue = PostgresRunQueue.open(db.dataSource(), SCHEMA);
      for (int i = 0; i < 200; i++) {
        queue.enqueue(NewRun.builder("live-" + (i % 5)).lane("live-" + (i % 4)).build());
      }
      queue.claim("bench-worker", List.of("live-0", "live-1"), 4);
      ControlPlane plane =
          ControlPlane.builder()
              .runs(queue)
              .authenticator(
                  BearerTokens.of(
                      Map.of(BearerTokens.hash(TOKEN), Identity.withAllScopes("bench"))))
              .build();
      try (ControlPlaneServer http = ControlPlaneServer.start(plane, "127.0.0.1", 0, "")) {
        long mid = runs / 2;
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put("newest runs", "api/runs");
        kinds.put("deep keyset page", "api/runs?before=" + mid);
        kinds.put("status=error", "api/runs?status=error");
        kinds.put("lane + status (rare)", "api/runs?lane=lane-3&status=cancelled");
        kinds.put("template", "api/runs?template=tpl-7");
        kinds.put("template + status=error", "api/runs?template=tpl-0&status=error");
        kinds.put(
            "time window",
            "api/runs?since=" + instantAgo(runs * 3L / 4) + "&until=" + instantAgo(runs / 2));
        kinds.put("text search (common)", "api/runs?q=svc-42");
        kinds.put("lanes and running", "api/runs/lanes");
        kinds.put("one run's events", "api/runs/" + mid + "/events");
        kinds.put("runboard page (HTML)", "runs");
        HttpClient client = HttpClient.newHttpClient();
        System.out.printf(
            Locale.ROOT,
            "%-24s %9s %9s %9s %9s%n",
            "request",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms");
        for (Map.Entry<String, String> kind : kinds.entrySet()) {
          URI uri = http.uri().resolve(kind.getValue());
          double[] ms = new double[requests];
          for (int i = 0; i < warmup + requests; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r =
                client.send(
                    HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            long t1 = System.nanoTime();
            if (r.statusCode() != 200) {
              throw new IllegalStateException(
                  uri + " answered " + r.statusCode() + ": " + r.body());
            }
            if (i >= warmup) {
              ms[i - warmup] = (t1 - t0) / 1e6;
            }
          }
          Arrays.sort(ms);
          System.out.printf(
              Locale.ROOT,
              "%-24s %9.1f %9.1f %9.1f %9.1f%n",
              kind.getKey(),
              at(ms, 0.50),
              at(ms, 0.95),
              at(ms, 0.99),
              ms[ms.length - 1]);
        }
        System.out.printf(Locale.ROOT, "load average at the end %.2f%n", loadAverage());
      }
    }
  }

  /** The machine's load average over the last minute, printed next to the figures it affects. */
  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String instantAgo(long seconds) {
    return java.time.Instant.now().minusSeconds(seconds).toString();
  }

  private static double at(double[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /**
   * Stores {@code runs} finished runs in the history, one per second of history ending now (20
   * templates, 8 lanes, 1% errors, 0.4% cancelled), and {@code events} events each, in batches of
   * 100,000 runs.
   */
  private static void load(Database db, int runs, int events) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement()) {
      c.setAutoCommit(true);
      List<String> batches = new ArrayList<>();
      for (int from = 1; from <= runs; from += 100_000) {
        int to = Math.min(runs, from + 99_999);
        batches.add(
            "INSERT INTO "
                + SCHEMA
                + ".run_history (id, template, lane, params, status, attempt, max_attempts,"
                + " created_at, available_at, started_at, finished_at, message, event_seq)"
                + " SELECT g, 'tpl-' || (g % 20), 'lane-' || (g % 8),"
                + " jsonb_build_object('service', 'svc-' || (g % 100), 'replicas', g % 5),"
                + " CASE WHEN g % 100 = 0 THEN 'error' WHEN g % 250 = 0 THEN 'cancelled'"
                + " ELSE 'success' END, 1, 3,"
                + " now() - make_interval(secs => "
                + runs
                + " - g), now() - make_interval(secs => "
                + runs
                + " - g), now() - make_interval(secs => "
                + runs
                + " - g), now() - make_interval(secs => "
                + runs
                + " - g) + interval '2 seconds',"
                + " CASE WHEN g % 100 = 0 THEN 'step deploy exited 1' END, "
                + events
                + " FROM generate_series("
                + from
                + ", "
                + to
                + ") g");
        batches.add(
            "INSERT INTO "
                + SCHEMA
                + ".run_event_rows (run_id, seq, attempt, at, kind, stream, message)"
                + " SELECT r.id, e, 1, r.created_at + e * interval '100 ms',"
                + " CASE WHEN e = 1 THEN 'claimed' WHEN e = "
                + events
                + " THEN 'completed' ELSE 'log' END,"
                + " CASE WHEN e = 1 OR e = "
                + events
                + " THEN NULL ELSE 'stdout' END,"
                + " 'line ' || e || ' of run ' || r.id"
                + " FROM "
                + SCHEMA
                + ".run_history r, generate_series(1, "
                + events
                + ") e WHERE r.id BETWEEN "
                + from
                + " AND "
                + to);
      }
      for (String sql : batches) {
        st.execute(sql);
      }
      // Live runs enqueued after the history continue its ids, as they would have.
      st.execute(
          "SELECT setval(pg_get_serial_sequence('" + SCHEMA + ".runs', 'id'), " + runs + ")");
      st.execute("ANALYZE " + SCHEMA + ".run_history");
      st.execute("ANALYZE " + SCHEMA + ".runs");
      st.execute("ANALYZE " + SCHEMA + ".run_event_rows");
    }
  }
}
