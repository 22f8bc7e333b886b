package dev.tollgate.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time of this JVM, of the embedded PostgreSQL server (its postmaster, live children, and the
 * children it has reaped) and of the whole machine, read from {@code /proc}.
 *
 * <p>PostgreSQL and the JVM share the machine's cores, so the split tells who the bottleneck is;
 * the rest of the machine's busy time is other processes (on a shared build machine, other builds).
 */
final class Cpu {

  /** One reading, in seconds of CPU. */
  record Snapshot(double jvm, double postgres, double machineBusy, double machineTotal) {
    Snapshot minus(Snapshot earlier) {
      return new Snapshot(
          jvm - earlier.jvm,
          postgres - earlier.postgres,
          machineBusy - earlier.machineBusy,
          machineTotal - earlier.machineTotal);
    }

    /** Busy time of processes other than this JVM and PostgreSQL. */
    double others() {
      return postgres < 0 ? Double.NaN : Math.max(0, machineBusy - jvm - postgres);
    }
  }

  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
  private final Long postmasterPid;

  /** {@code postmasterPid} is null when the server is not local (then its CPU is unknown). */
  Cpu(Long postmasterPid) {
    this.postmasterPid = postmasterPid;
  }

  Snapshot read() {
    double jvm = jvmSeconds();
    double pg = postmasterPid == null ? -1 : postgresSeconds(postmasterPid);
    double[] machine = machineSeconds();
    return new Snapshot(jvm, pg, machine[0], machine[1]);
  }

  static double jvmSeconds() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }

  private static double postgresSeconds(long postmaster) {
    long ticks = 0;
    long[] own = stat(Path.of("/proc", Long.toString(postmaster), "stat"), postmaster);
    if (own == null) {
      return Double.NaN;
    }
    ticks += own[1] + own[2] + own[3] + own[4];
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        long[] s = stat(proc.resolve("stat"), -1);
        if (s != null && s[0] == postmaster) {
          ticks += s[1] + s[2];
        }
      }
    } catch (IOException e) {
      return Double.NaN;
    }
    return ticks / TICKS_PER_SECOND;
  }

  /** Returns {ppid, utime, stime, cutime, cstime}, or null when the process is gone. */
  private static long[] stat(Path file, long expectedPid) {
    String line;
    try {
      line = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
    int close = line.lastIndexOf(')');
    if (close < 0) {
      return null;
    }
    String[] f = line.substring(close + 2).trim().split(" ");
    // f[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
    return new long[] {
      Long.parseLong(f[1]),
      Long.parseLong(f[11]),
      Long.parseLong(f[12]),
      Long.parseLong(f[13]),
      Long.parseLong(f[14])
    };
  }

  private static double[] machineSeconds() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.UTF_8);
      String[] f = lines.get(0).trim().split("\\s+");
      long total = 0;
      long idle = 0;
      // cpu user nice system idle iowait irq softirq steal (guest fields are inside user/nice)
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        long v = Long.parseLong(f[i]);
        total += v;
        if (i == 4 || i == 5) {
          idle += v;
        }
      }
      return new double[] {(total - idle) / TICKS_PER_SECOND, total / TICKS_PER_SECOND};
    } catch (IOException | RuntimeException e) {
      return new double[] {Double.NaN, Double.NaN};
    }
  }
}
