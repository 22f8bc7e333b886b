package dev.tollgate.core.db.internal;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.util.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs {@code initdb} and {@code pg_ctl} for the embedded server, as an unprivileged user when the
 * JVM runs as root.
 *
 * <p>PostgreSQL refuses to run as root. Rather than failing (as embedded launchers commonly do in
 * containers), a root process runs the programs through {@code setpriv} as {@code nobody} and hands
 * it the data directory; every folder above the data directory must then be searchable by others.
 */
public final class PostgresProcesses {

  /** The server log, inside the data directory. */
  public static final String LOG_FILE = "tollgate-postgres.log";

  private static final int NOBODY = 65534;
  private final PostgresBinaries binaries;
  private final boolean root;

  /** Creates a runner for these binaries. */
  public PostgresProcesses(PostgresBinaries binaries) {
    this.binaries = binaries;
    this.root = runningAsRoot();
  }

  /** Creates a new cluster in {@code dataDirectory} with a trusted superuser and UTF-8. */
  public void initdb(Path dataDirectory) throws IOException {
    Path staging = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".initdb");
    if (Files.exists(staging)) {
      FileTrees.delete(staging);
    }
    Files.createDirectories(staging);
    handOver(staging);
    run(
        List.of(
            binaries.program("initdb").toString(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
            "-D",
            staging.toString()),
        Duration.ofMinutes(2),
        "initdb");
    // A cluster is either complete or absent: an interrupted initdb leaves only the staging folder.
    Files.move(staging, dataDirectory);
  }

  /** Starts the server on {@code port} with the given {@code name=value} settings, and waits. */
  public void start(Path dataDirectory, int port, List<String> settings, Duration timeout)
      throws IOException {
    StringBuilder options = new StringBuilder("-p ").append(port);
    for (String setting : settings) {
      int eq = setting.indexOf('=');
      String value = setting.substring(eq + 1);
      if (!value.matches("[A-Za-z0-9_.]*")) {
        throw new IllegalArgumentException("unsupported server setting value: " + setting);
      }
      options.append(" -c ").append(setting.substring(0, eq)).append('=');
      options.append(value.isEmpty() ? "''" : value);
    }
    Path log = dataDirectory.resolve(LOG_FILE);
    if (!Files.exists(log)) {
      Files.createFile(log);
    }
    handOver(log);
    run(
        List.of(
            binaries.program("pg_ctl").toString(),
            "-D",
            dataDirectory.toString(),
            "-l",
            log.toString(),
            "-o",
            options.toString(),
            "-w",
            "-t",
            Long.toString(Math.max(1, timeout.toSeconds())),
            "start"),
        timeout.plusSeconds(10),
        "pg_ctl start");
  }

  /** Stops the server fast (open sessions are disconnected), waiting up to 30 s. */
  public void stop(Path dataDirectory) {
    try {
      run(
          List.of(
              binaries.program("pg_ctl").toString(),
              "-D",
              dataDirectory.toString(),
              "-m",
              "fast",
              "-w",
              "-t",
              "30",
              "stop"),
          Duration.ofSeconds(40),
          "pg_ctl stop");
    } catch (IOException | TollgateException e) {
      // Stopping is best effort (it runs in shutdown hooks); the next start detects a dead pid.
    }
  }

  /**
   * Restarts the server fast (open sessions are disconnected) with the options it was started with,
   * so it keeps its port, and waits until it accepts connections again.
   */
  public void restart(Path dataDirectory, Duration timeout) throws IOException {
    Path log = dataDirectory.resolve(LOG_FILE);
    run(
        List.of(
            binaries.program("pg_ctl").toString(),
            "-D",
            dataDirectory.toString(),
            "-l",
            log.toString(),
            "-m",
            "fast",
            "-w",
            "-t",
            Long.toString(Math.max(1, timeout.toSeconds())),
            "restart"),
        timeout.plusSeconds(10),
        "pg_ctl restart");
  }

  /**
   * Returns the port of the server running on {@code dataDirectory}, from {@code postmaster.pid},
   * when its process is alive.
   */
  public Optional<Integer> runningPort(Path dataDirectory) {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      if (lines.size() < 4) {
        return Optional.empty();
      }
      long pid = Long.parseLong(lines.get(0).trim());
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        return Optional.of(Integer.parseInt(lines.get(3).trim()));
      }
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private void run(List<String> command, Duration timeout, String what) throws IOException {
    List<String> full = new ArrayList<>();
    if (root) {
      full.addAll(
          List.of(
              "setpriv",
              "--reuid=" + NOBODY,
              "--regid=" + NOBODY,
              "--clear-groups",
              "--inh-caps=-all"));
    }
    full.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
    pb.environment().put("LC_ALL", "C");
    pb.environment().remove("PGDATA");
    Process process = pb.start();
    byte[] output;
    try (var in = process.getInputStream()) {
      // pg_ctl's server inherits no pipe (it logs to -l), so reading to the end terminates.
      output = in.readAllBytes();
    }
    boolean done;
    try {
      done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(what + " was interrupted", e);
    }
    if (!done) {
      process.destroyForcibly();
      throw new IOException(what + " did not finish within " + timeout.toSeconds() + " s");
    }
    if (process.exitValue() != 0) {
      String text = new String(output, StandardCharsets.UTF_8).strip();
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          what
              + " failed (exit "
              + process.exitValue()
              + ")"
              + (root ? " running as uid " + NOBODY + " because this process is root" : "")
              + ": "
              + text);
    }
  }

  /** Gives a path to the user the server runs as (only needed when running as root). */
  private void handOver(Path path) throws IOException {
    if (!root) {
      return;
    }
    try (Stream<Path> paths = Files.walk(path)) {
      for (Path p : paths.toList()) {
        Files.setAttribute(p, "unix:uid", NOBODY, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", NOBODY, java.nio.file.LinkOption.NOFOLLOW_LINKS);
      }
    }
    Path parent = path.toAbsolutePath().getParent();
    while (parent != null) {
      var perms = Files.getPosixFilePermissions(parent);
      boolean ours = Integer.valueOf(NOBODY).equals(Files.getAttribute(parent, "unix:uid"));
      if (!ours && !perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
        throw new TollgateException(
            TollgateException.Kind.COULD_NOT_FINISH,
            "running as root, the embedded PostgreSQL runs as 'nobody', which cannot reach "
                + path
                + " ("
                + parent
                + " is not searchable by others); run as a normal user, choose a data folder"
                + " elsewhere, or pass --database-url");
      }
      parent = parent.getParent();
    }
  }

  private static boolean runningAsRoot() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return uid instanceof Integer i && i == 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
