package dev.tollgate.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Burn-down throughput: N runnable no-op runs are inserted (not timed), the server is vacuumed and
 * checkpointed, then one system starts and the time until the last completion is committed is
 * measured. Systems take turns, in alternating order, at each thread count.
 */
final class Throughput {

  /**
   * One measured burn-down; {@code runs} is the number completed, fewer than inserted when the
   * burn-down was {@code partial} (stopped at the cap).
   */
  record Measurement(
      String system,
      int threads,
      long runs,
      double seconds,
      boolean partial,
      long commits,
      long walBytes,
      Cpu.Snapshot cpu) {
    double runsPerSecond() {
      return runs / seconds;
    }
  }

  private final Server server;
  private final List<QueueSystem> systems;
  private final int runs;
  private final int warmupRuns;
  private final List<Integer> threadCounts;
  private final int repeats;
  private final int poolExtra;
  private final Duration cap;
  private final boolean profile;
  private final List<Measurement> measurements = new ArrayList<>();
  private final Cpu cpu;

  Throughput(
      Server server,
      List<QueueSystem> systems,
      int runs,
      int warmupRuns,
      List<Integer> threadCounts,
      int repeats,
      int poolExtra,
      Duration cap,
      boolean profile) {
    this.server = server;
    this.systems = systems;
    this.runs = runs;
    this.warmupRuns = warmupRuns;
    this.threadCounts = threadCounts;
    this.repeats = repeats;
    this.poolExtra = poolExtra;
    this.cap = cap;
    this.profile = profile;
    this.cpu = server.cpu();
  }

  List<Measurement> run() throws Exception {
    for (QueueSystem system : systems) {
      system.setUp();
    }
    if (warmupRuns > 0) {
      System.out.println("Warm-up: " + warmupRuns + " runs per system, 8 threads (not reported)");
      for (QueueSystem system : systems) {
        system.insert(warmupRuns);
        QueueSystem.BurnDown b =
            system.burnDown(warmupRuns, 8, 8 + poolExtra, cap(warmupRuns), QueueSystem.Marks.NONE);
        System.out.printf(
            "  %-40s %8s runs/s%s%n",
            system.name(),
            Figures.f0(b.completed() / b.seconds()),
            b.partial() ? " (partial: " + b.completed() + " runs)" : "");
      }
    }
    for (int rep = 1; rep <= repeats; rep++) {
      for (int threads : threadCounts) {
        List<QueueSystem> order = new ArrayList<>(systems);
        if ((rep + threadCounts.indexOf(threads)) % 2 == 0) {
          java.util.Collections.reverse(order);
        }
        for (QueueSystem system : order) {
          measurements.add(measure(rep, system, threads));
        }
      }
    }
    return measurements;
  }

  /** The given cap, else a generous limit that only a stuck system reaches. */
  private Duration cap(int n) {
    return cap != null ? cap : Duration.ofSeconds(300 + n / 20);
  }

  private Measurement measure(int rep, QueueSystem system, int threads) throws Exception {
    long insertStart = System.nanoTime();
    system.insert(runs);
    double insertSeconds = (System.nanoTime() - insertStart) / 1e9;
    server.vacuumAndCheckpoint();
    double load = loadAverage();
    Server.Counters before = server.counters();
    Cpu.Snapshot cpuBefore = cpu.read();
    ActivitySampler sampler = profile ? new ActivitySampler(server, 10) : null;
    if (profile && server.embedded()) {
      server.resetStatementStatistics();
    }
    QueueSystem.BurnDown b =
        system.burnDown(
            runs,
            threads,
            threads + poolExtra,
            cap(runs),
            sampler == null
                ? QueueSystem.Marks.NONE
                : new QueueSystem.Marks() {
                  @Override
                  public void started() {
                    sampler.start();
                  }

                  @Override
                  public void finished() {
                    sampler.close();
                  }
                });
    server.awaitPoolsClosed();
    Cpu.Snapshot used = cpu.read().minus(cpuBefore);
    Server.Counters after = server.counters();
    Measurement m =
        new Measurement(
            system.name(),
            threads,
            b.completed(),
            b.seconds(),
            b.partial(),
            after.commits() - before.commits(),
            after.walBytes() - before.walBytes(),
            used);
    System.out.printf(
        "rep %d, %2d threads, %-40s %8s runs/s (%,d runs in %.1f s%s; insert %.1f s); %.2f commits/run,"
            + " %,.0f WAL B/run; CPU s: pg %.1f, jvm %.1f, others %.1f of %.1f; load %.2f%n",
        rep,
        threads,
        system.name(),
        Figures.f0(m.runsPerSecond()),
        m.runs(),
        m.seconds(),
        m.partial() ? ", PARTIAL: stopped at the cap" : "",
        insertSeconds,
        (double) m.commits() / m.runs(),
        (double) m.walBytes() / m.runs(),
        used.postgres(),
        used.jvm(),
        used.others(),
        used.machineTotal(),
        load);
    if (sampler != null) {
      sampler.top(12).forEach(line -> System.out.println("    " + line));
    }
    if (profile && server.embedded()) {
      System.out.println("    statements by server time (pg_stat_statements):");
      System.out.println(server.topStatements(14, m.runs()).indent(6).stripTrailing());
      System.out.println("    WAL by record type, at least 1 B/run (pg_walinspect):");
      System.out.println(
          server
              .walRecords(before.walBytes(), after.walBytes(), m.runs())
              .indent(6)
              .stripTrailing());
    }
    return m;
  }

  static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** The summary table, in Markdown. */
  static String table(List<Measurement> all, List<String> systemOrder, String reference) {
    Map<String, List<Measurement>> groups = new LinkedHashMap<>();
    List<Measurement> sorted = new ArrayList<>(all);
    sorted.sort(
        java.util.Comparator.comparingInt(Measurement::threads)
            .thenComparingInt(m -> systemOrder.indexOf(m.system())));
    for (Measurement m : sorted) {
      groups.computeIfAbsent(m.threads() + "\u0000" + m.system(), k -> new ArrayList<>()).add(m);
    }
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| threads | system | runs/s, median (min–max) | × db-scheduler | commits/run | WAL B/run"
            + " | CPU ms/run: PostgreSQL / JVM | other processes' CPU |\n");
    sb.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (List<Measurement> group : groups.values()) {
      Measurement first = group.get(0);
      List<Double> rates = group.stream().map(Measurement::runsPerSecond).toList();
      double refMedian =
          Figures.median(
              all.stream()
                  .filter(m -> m.threads() == first.threads() && m.system().equals(reference))
                  .map(Measurement::runsPerSecond)
                  .toList());
      double commits =
          Figures.median(group.stream().map(m -> (double) m.commits() / m.runs()).toList());
      double wal =
          Figures.median(group.stream().map(m -> (double) m.walBytes() / m.runs()).toList());
      double pg =
          Figures.median(group.stream().map(m -> m.cpu().postgres() * 1000 / m.runs()).toList());
      double jvm =
          Figures.median(group.stream().map(m -> m.cpu().jvm() * 1000 / m.runs()).toList());
      double others =
          Figures.median(
              group.stream().map(m -> 100 * m.cpu().others() / m.cpu().machineTotal()).toList());
      sb.append("| ")
          .append(first.threads())
          .append(" | ")
          .append(first.system())
          .append(group.stream().anyMatch(Measurement::partial) ? " *" : "")
          .append(" | ")
          .append(Figures.spread0(rates))
          .append(" | ")
          .append(
              Double.isNaN(refMedian) ? "" : Figures.f2(Figures.median(rates) / refMedian) + "×")
          .append(" | ")
          .append(Figures.f2(commits))
          .append(" | ")
          .append(Figures.f0(wal))
          .append(" | ")
          .append(Figures.f2(pg))
          .append(" / ")
          .append(Figures.f2(jvm))
          .append(" | ")
          .append(Figures.f0(others))
          .append("% |\n");
    }
    return sb.toString();
  }
}
