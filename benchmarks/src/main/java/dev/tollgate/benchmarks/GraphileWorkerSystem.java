package dev.tollgate.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * graphile-worker (Node, the version pinned in {@code
 * benchmarks/peers/graphile-worker/package.json}) as a peer: a Node process started per burn-down
 * with concurrency = threads over a pool of the same size as the others', a no-op task, its default
 * polling of 100 ms here as for the others and its default (unbatched) completions. Jobs are added
 * with its own {@code add_job} function. The clock starts when the Node process says it is about to
 * start its worker (Node and the module are loaded by then) and stops when its jobs table is empty
 * (a finished job's row is deleted), polled every 5 ms on a connection of its own, as
 * db-scheduler's last completion is confirmed.
 */
final class GraphileWorkerSystem implements QueueSystem {

  static final String SCHEMA = "bench_graphile";
  private static final int INSERT_CHUNK = 10_000;

  private final Server server;
  private final Path folder;

  GraphileWorkerSystem(Server server, Path folder) {
    this.server = server;
    this.folder = folder;
  }

  /** The peer's folder, with its node_modules installed ({@code npm ci}), or an error saying so. */
  static Path folder() {
    Path folder = Path.of("benchmarks", "peers", "graphile-worker").toAbsolutePath();
    if (!Files.isDirectory(folder.resolve("node_modules").resolve("graphile-worker"))) {
      throw new IllegalStateException(
          "graphile-worker is not installed: run 'npm ci' in "
              + folder
              + " (node "
              + "and npm needed), or leave out --graphile-worker");
    }
    return folder;
  }

  @Override
  public String name() {
    return "graphile-worker " + version() + ", defaults";
  }

  private String version() {
    try {
      String json =
          Files.readString(
              folder.resolve("node_modules").resolve("graphile-worker").resolve("package.json"));
      int at = json.indexOf("\"version\"");
      int open = json.indexOf('"', json.indexOf(':', at) + 1);
      return json.substring(open + 1, json.indexOf('"', open + 1));
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  @Override
  public void setUp() {
    server.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    node(List.of("migrate"));
  }

  @Override
  public void insert(int runs) {
    server.execute(
        "DELETE FROM " + SCHEMA + "._private_jobs",
        "DELETE FROM " + SCHEMA + "._private_job_queues");
    for (int from = 1; from <= runs; from += INSERT_CHUNK) {
      int to = Math.min(runs, from + INSERT_CHUNK - 1);
      server.execute(
          "SELECT count("
              + SCHEMA
              + ".add_job('noop')) FROM generate_series("
              + from
              + ", "
              + to
              + ")");
    }
  }

  @Override
  public BurnDown burnDown(int runs, int threads, int poolSize, Duration cap, Marks marks)
      throws Exception {
    Process process =
        start(List.of("work", String.valueOf(threads), String.valueOf(poolSize)), false);
    try (Connection c = server.admin();
        PreparedStatement ps =
            c.prepareStatement("SELECT count(*) FROM " + SCHEMA + "._private_jobs");
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      if (!"ready".equals(line)) {
        throw new IllegalStateException("graphile-worker did not start: " + line);
      }
      marks.started();
      long start = System.nanoTime();
      long deadline = start + cap.toNanos();
      long left;
      while (true) {
        left = remaining(ps);
        if (left == 0 || System.nanoTime() > deadline || !process.isAlive()) {
          break;
        }
        Thread.sleep(5);
      }
      long end = System.nanoTime();
      marks.finished();
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "graphile-worker exited with " + process.exitValue() + " with " + left + " jobs left");
      }
      return new BurnDown(runs - left, (end - start) / 1e9, left > 0);
    } finally {
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static long remaining(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void node(List<String> args) {
    try {
      Process p = start(args, true);
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("node bench.js " + args + " failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not run node: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private Process start(List<String> args, boolean mergeErrors) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of("node", "bench.js"));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(folder.toFile());
    pb.environment().put("DATABASE_URL", nodeUrl());
    pb.environment().put("GRAPHILE_SCHEMA", SCHEMA);
    if (mergeErrors) {
      pb.redirectErrorStream(true);
    } else {
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    }
    return pb.start();
  }

  /** The server as a postgres:// URL for node-postgres, with the credentials. */
  private String nodeUrl() {
    URI jdbc = URI.create(server.settings().jdbcUrl().substring("jdbc:".length()));
    StringBuilder url = new StringBuilder("postgres://");
    if (server.settings().user() != null) {
      url.append(URLEncoder.encode(server.settings().user(), StandardCharsets.UTF_8));
      if (server.settings().password() != null) {
        url.append(':')
            .append(URLEncoder.encode(server.settings().password(), StandardCharsets.UTF_8));
      }
      url.append('@');
    }
    url.append(jdbc.getHost()).append(':').append(jdbc.getPort()).append(jdbc.getPath());
    return url.toString();
  }
}
