package dev.tollgate.core.runs.exec.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;
import dev.tollgate.core.util.DaemonThreads;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Reference;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A starter of programs each in a session and process group of its own, straight through the C
 * library's {@code posix_spawn} with {@code POSIX_SPAWN_SETSID}: one program image per start, where
 * the JDK's {@link ProcessBuilder} runs its {@code jspawnhelper} first and a session needs {@code
 * setsid} on top (three images, about 6 ms more per step on a 2-core machine: docs/benchmarks.md,
 * "Steps started in their session by the C library").
 *
 * <p>The child gets the given arguments, environment (nothing else of this JVM's) and folder, its
 * standard input and output on pipes to this JVM, an empty signal mask (as the JDK's children get),
 * and no other file descriptor of this JVM ({@code posix_spawn_file_actions_addclosefrom_np}).
 * Available on Linux with glibc 2.34 or newer and JNA on the class path (an optional dependency of
 * {@code tollgate-core}); elsewhere {@link #available()} is false and steps start as before.
 */
final class SessionSpawn {
  private SessionSpawn() {}

  /**
   * Whether programs can be started this way here. Loading JNA and binding the C library takes
   * about 0.2 s on a cold JVM, which {@link #prepare()} can move off the first step's path.
   */
  static boolean available() {
    return LOADING.join() != null;
  }

  /** Starts loading JNA and binding the C library on a thread of its own, if not started yet. */
  static void prepare() {
    // Referencing LOADING starts it.
    LOADING.isDone();
  }

  /**
   * Why the C library's start is not available here, for a diagnostic; empty when it is. Waits for
   * the binding to be loaded, as {@link #available()} does.
   */
  static String whyNot() {
    LOADING.join();
    return Loader.why;
  }

  private static final CompletableFuture<Libc> LOADING =
      CompletableFuture.supplyAsync(
          Loader::load,
          r -> {
            Thread t = new Thread(r, "tollgate-session-spawn-load");
            t.setDaemon(true);
            t.start();
          });

  /** Loads the binding, remembering why it could not be. */
  private static final class Loader {
    static volatile String why = "";

    static Libc load() {
      if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
        why = "not Linux";
        return null;
      }
      if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
        why = "no /proc/self/fd";
        return null;
      }
      try {
        Class.forName("com.sun.jna.Native", false, SessionSpawn.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        why = "JNA is not on the class path";
        return null;
      }
      try {
        return Libc.bind();
      } catch (LinkageError | RuntimeException e) {
        // UnsatisfiedLinkError: no native JNA for this platform, or a C library without
        // posix_spawn_file_actions_addclosefrom_np (glibc before 2.34, musl).
        why = "the C library cannot be bound: " + e.getMessage();
        return null;
      }
    }
  }

  /**
   * Starts {@code argv} (its first element the program's absolute path) in {@code directory} with
   * exactly {@code environment}, in a new session: the process's id is its session's and its
   * process group's.
   *
   * @throws IOException when it cannot be started (nothing is left running)
   * @throws IllegalStateException when {@link #available()} is false
   */
  static Process start(List<String> argv, Map<String, String> environment, Path directory)
      throws IOException {
    Libc libc = LOADING.join();
    if (libc == null) {
      throw new IllegalStateException(
          "the C library's posix_spawn is not available: " + Loader.why);
    }
    Charset charset = StepEnvironment.environmentCharset();
    List<String> env = new ArrayList<>(environment.size());
    for (Map.Entry<String, String> e : environment.entrySet()) {
      if (e.getKey().isEmpty()
          || e.getKey().indexOf('=') >= 0
          || e.getKey().indexOf('\0') >= 0
          || e.getValue().indexOf('\0') >= 0) {
        throw new IOException("invalid environment variable: '" + e.getKey() + "'");
      }
      env.add(e.getKey() + "=" + e.getValue());
    }
    for (String arg : argv) {
      if (arg.indexOf('\0') >= 0) {
        throw new IOException("an argument holds a NUL character");
      }
    }
    return libc.spawn(argv, env, directory.toString(), charset);
  }

  /** Waits for the started processes' ends, one blocked thread each, kept a minute when idle. */
  private static final ExecutorService REAPERS =
      Executors.newCachedThreadPool(DaemonThreads.named("tollgate-step-reaper"));

  /** The C library's functions, bound through JNA's direct mapping. */
  private static final class Libc {
    private static final int O_CLOEXEC = 0x80000; // Linux, every architecture JNA supports
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80; // glibc
    private static final int EINTR = 4;
    private static final int ECHILD = 10;

    /** Larger than glibc's posix_spawnattr_t (336 B), posix_spawn_file_actions_t and sigset_t. */
    private static final int OPAQUE = 1024;

    static Libc bind() {
      Native.register(Libc.class, NativeLibrary.getInstance("c"));
      return new Libc();
    }

    static native int posix_spawn(
        IntByReference pid,
        Pointer path,
        Pointer fileActions,
        Pointer attributes,
        Pointer argv,
        Pointer envp);

    static native int posix_spawnattr_init(Pointer attributes);

    static native int posix_spawnattr_destroy(Pointer attributes);

    static native int posix_spawnattr_setflags(Pointer attributes, short flags);

    static native int posix_spawnattr_setsigmask(Pointer attributes, Pointer mask);

    static native int sigemptyset(Pointer set);

    static native int posix_spawn_file_actions_init(Pointer actions);

    static native int posix_spawn_file_actions_destroy(Pointer actions);

    static native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

    static native int posix_spawn_file_actions_addchdir_np(Pointer actions, Pointer path);

    static native int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

    static native int pipe2(int[] fds, int flags) throws LastErrorException;

    static native int fcntl(int fd, int command, int argument) throws LastErrorException;

    static native int close(int fd);

    static native int waitpid(int pid, IntByReference status, int options)
        throws LastErrorException;

    Process spawn(List<String> argv, List<String> env, String directory, Charset charset)
        throws IOException {
      List<Integer> open = new ArrayList<>();
      List<AutoCloseable> streams = new ArrayList<>();
      try {
        int[] in = pipe(open);
        int[] out = pipe(open);
        int[] err = pipe(open);
        // This JVM's ends as streams, opened while both ends of each pipe are still open (opening
        // a pipe's end through /proc waits for its other end as a FIFO's would). Buffered, as the
        // JDK's own process streams are (FileInputStream.readAllBytes would also seek otherwise).
        OutputStream stdin =
            new BufferedOutputStream(new FileOutputStream("/proc/self/fd/" + in[1]));
        streams.add(stdin);
        InputStream stdout =
            new BufferedInputStream(new FileInputStream("/proc/self/fd/" + out[0]));
        streams.add(stdout);
        InputStream stderr =
            new BufferedInputStream(new FileInputStream("/proc/self/fd/" + err[0]));
        streams.add(stderr);

        Memory actions = new Memory(OPAQUE);
        Memory attributes = new Memory(OPAQUE);
        Memory mask = new Memory(OPAQUE);
        check(posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        check(posix_spawnattr_init(attributes), "posix_spawnattr_init");
        int pid;
        StringArray path = new StringArray(new String[] {argv.get(0)}, charset.name());
        StringArray args = new StringArray(argv.toArray(String[]::new), charset.name());
        StringArray envp = new StringArray(env.toArray(String[]::new), charset.name());
        StringArray folder = new StringArray(new String[] {directory}, charset.name());
        try {
          check(posix_spawn_file_actions_adddup2(actions, in[0], 0), "adddup2");
          check(posix_spawn_file_actions_adddup2(actions, out[1], 1), "adddup2");
          check(posix_spawn_file_actions_adddup2(actions, err[1], 2), "adddup2");
          check(posix_spawn_file_actions_addchdir_np(actions, folder.getPointer(0)), "addchdir");
          check(posix_spawn_file_actions_addclosefrom_np(actions, 3), "addclosefrom");
          check(sigemptyset(mask) == 0 ? 0 : -1, "sigemptyset");
          check(posix_spawnattr_setsigmask(attributes, mask), "setsigmask");
          check(
              posix_spawnattr_setflags(
                  attributes, (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK)),
              "setflags");
          IntByReference child = new IntByReference();
          int failed = posix_spawn(child, path.getPointer(0), actions, attributes, args, envp);
          if (failed != 0) {
            throw new IOException(
                "Cannot run program \""
                    + argv.get(0)
                    + "\" (in directory \""
                    + directory
                    + "\"): error="
                    + failed
                    + ", "
                    + strerror(failed).getString(0));
          }
          pid = child.getValue();
        } finally {
          posix_spawn_file_actions_destroy(actions);
          posix_spawnattr_destroy(attributes);
          Reference.reachabilityFence(path);
          Reference.reachabilityFence(args);
          Reference.reachabilityFence(envp);
          Reference.reachabilityFence(folder);
          Reference.reachabilityFence(mask);
        }
        // The process holds its ends now; this JVM keeps only the streams it opened.
        for (int fd : open) {
          close(fd);
        }
        open.clear();
        // Captured before the process can be reaped: the handle knows its start time, so a
        // signal through it never reaches a later process that got the same id.
        ProcessHandle handle =
            ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("the started process has no handle"));
        SpawnedProcess process = new SpawnedProcess(pid, handle, stdin, stdout, stderr);
        streams.clear();
        REAPERS.execute(() -> process.exited(reap(pid)));
        return process;
      } finally {
        for (int fd : open) {
          close(fd);
        }
        for (AutoCloseable s : streams) {
          try {
            s.close();
          } catch (Exception e) {
            // Closing what was not handed out; nothing more to do.
          }
        }
      }
    }

    static native Pointer strerror(int errnum);

    /**
     * A pipe whose two ends are above standard error, closed on exec; both added to {@code open}.
     */
    private static int[] pipe(List<Integer> open) throws IOException {
      int[] fds = new int[2];
      try {
        pipe2(fds, O_CLOEXEC);
      } catch (LastErrorException e) {
        throw new IOException("cannot create a pipe: " + e.getMessage(), e);
      }
      open.add(fds[0]);
      open.add(fds[1]);
      for (int i = 0; i < 2; i++) {
        // A JVM started with standard input, output or error closed may get 0, 1 or 2 back, which
        // the dup2 actions below would then overwrite.
        if (fds[i] < 3) {
          int moved;
          try {
            moved = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
          } catch (LastErrorException e) {
            throw new IOException("cannot move a pipe's end: " + e.getMessage(), e);
          }
          open.add(moved);
          fds[i] = moved;
        }
      }
      return fds;
    }

    private static void check(int result, String what) throws IOException {
      if (result != 0) {
        throw new IOException(what + " failed: error " + result);
      }
    }

    /**
     * Waits for {@code pid} to end and reaps it: its exit code, or 128 + the signal that ended it.
     */
    private static int reap(int pid) {
      IntByReference status = new IntByReference();
      while (true) {
        try {
          waitpid(pid, status, 0);
          break;
        } catch (LastErrorException e) {
          if (e.getErrorCode() == EINTR) {
            continue;
          }
          // ECHILD: reaped elsewhere, so its status is lost; anything else cannot happen for a
          // child of this process.
          return e.getErrorCode() == ECHILD ? -1 : -2;
        }
      }
      int s = status.getValue();
      int signal = s & 0x7f;
      return signal == 0 ? (s >> 8) & 0xff : 0x80 + signal;
    }
  }

  /** A process started by {@link #start}, reaped by a thread of its own. */
  private static final class SpawnedProcess extends Process {
    private final int pid;
    private final ProcessHandle handle;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    SpawnedProcess(
        int pid, ProcessHandle handle, OutputStream stdin, InputStream stdout, InputStream stderr) {
      this.pid = pid;
      this.handle = handle;
      this.stdin = stdin;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    void exited(int code) {
      exit.complete(code);
    }

    @Override
    public OutputStream getOutputStream() {
      return stdin;
    }

    @Override
    public InputStream getInputStream() {
      return stdout;
    }

    @Override
    public InputStream getErrorStream() {
      return stderr;
    }

    @Override
    public int waitFor() throws InterruptedException {
      try {
        return exit.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
      try {
        exit.get(timeout, unit);
        return true;
      } catch (TimeoutException e) {
        return false;
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }

    @Override
    public int exitValue() {
      Integer code = exit.getNow(null);
      if (code == null) {
        throw new IllegalThreadStateException("process " + pid + " has not exited");
      }
      return code;
    }

    @Override
    public void destroy() {
      if (!exit.isDone()) {
        handle.destroy();
      }
    }

    @Override
    public Process destroyForcibly() {
      if (!exit.isDone()) {
        handle.destroyForcibly();
      }
      return this;
    }

    @Override
    public boolean supportsNormalTermination() {
      return true;
    }

    @Override
    public boolean isAlive() {
      return !exit.isDone();
    }

    @Override
    public long pid() {
      return pid;
    }

    @Override
    public ProcessHandle toHandle() {
      return handle;
    }

    @Override
    public String toString() {
      return "Process[pid="
          + pid
          + ", exitValue="
          + (exit.isDone() ? exit.join() : "\"not exited\"")
          + "]";
    }
  }
}
