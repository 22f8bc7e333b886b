package dev.tollgate.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A poor man's profiler of the server: samples {@code pg_stat_activity} every few milliseconds and
 * counts, per statement and wait, how often a session of the pools was seen in each state. Sessions
 * seen "active" are where the server spends its time; "idle in transaction" is time the client
 * holds a transaction open; "idle" is a pooled connection nobody is using.
 */
final class ActivitySampler implements AutoCloseable {

  private final Thread thread;
  private final Map<String, Integer> counts = new HashMap<>();
  private volatile boolean stop;
  private int samples;

  ActivitySampler(Server server, long intervalMillis) {
    thread =
        new Thread(
            () -> {
              try (Connection c = server.admin();
                  Statement st = c.createStatement()) {
                while (!stop) {
                  sample(st);
                  Thread.sleep(intervalMillis);
                }
              } catch (SQLException | InterruptedException e) {
                // Sampling is best effort.
              }
            },
            "bench-activity-sampler");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void sample(Statement st) throws SQLException {
    try (ResultSet rs =
        st.executeQuery(
            "SELECT state, coalesce(wait_event_type || ':' || wait_event, 'cpu'),"
                + " regexp_replace(left(query, 200), '\\s+', ' ', 'g')"
                + " FROM pg_stat_activity WHERE datname = current_database()"
                + " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
                + " AND application_name = 'tollgate'")) {
      synchronized (counts) {
        samples++;
        while (rs.next()) {
          String state = rs.getString(1);
          String key;
          if ("idle".equals(state)) {
            key = "idle";
          } else {
            String query = rs.getString(3);
            key = state + " | " + shorten(query) + " | " + rs.getString(2);
          }
          counts.merge(key, 1, Integer::sum);
        }
      }
    }
  }

  private static String shorten(String query) {
    String q = query == null ? "" : query.strip();
    int from = q.indexOf(" FROM ");
    if (q.startsWith("SELECT r.id") && from > 0) {
      q = "SELECT … " + q.substring(from + 1);
    }
    return q.length() > 110 ? q.substring(0, 110) + "…" : q;
  }

  /** The most frequent states, as "share of samples (sessions seen per sample) key". */
  List<String> top(int n) {
    synchronized (counts) {
      List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
      entries.sort((a, b) -> b.getValue() - a.getValue());
      List<String> lines = new ArrayList<>();
      for (Map.Entry<String, Integer> e : entries.subList(0, Math.min(n, entries.size()))) {
        lines.add(
            String.format(
                java.util.Locale.ROOT,
                "%5.2f sessions  %s",
                (double) e.getValue() / Math.max(1, samples),
                e.getKey()));
      }
      return lines;
    }
  }

  @Override
  public void close() {
    stop = true;
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
