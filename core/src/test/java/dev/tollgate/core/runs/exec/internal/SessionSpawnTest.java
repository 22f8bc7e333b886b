package dev.tollgate.core.runs.exec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionSpawnTest {
  static final String BASH = ProcessSupervisor.resolve("bash").orElseThrow();

  @TempDir Path dir;

  /** Skips a test that starts programs where they cannot start this way. */
  static void needsTheCLibrarysStart() {
    assumeTrue(
        SessionSpawn.available(), "no start through the C library: " + SessionSpawn.whyNot());
  }

  static Map<String, String> path() {
    return Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
  }

  Process bash(String script, Map<String, String> environment) throws IOException {
    needsTheCLibrarysStart();
    return SessionSpawn.start(List.of(BASH, "-c", script), environment, dir);
  }

  static String output(Process process) throws Exception {
    process.getOutputStream().close();
    String out;
    try (InputStream in = process.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    process.getErrorStream().close();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  void where_glibc_is_new_enough_and_jna_is_there_steps_start_this_way() throws Exception {
    assumeTrue(
        System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"), "not Linux");
    Process getconf = new ProcessBuilder("getconf", "GNU_LIBC_VERSION").start();
    String version = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    getconf.waitFor();
    assumeTrue(version.startsWith("glibc "), "no glibc: " + version);
    int[] v =
        Arrays.stream(version.substring(6).trim().split("\\."))
            .limit(2)
            .mapToInt(Integer::parseInt)
            .toArray();
    boolean newEnough = v[0] > 2 || (v[0] == 2 && v[1] >= 34);
    // A silent fall-back to setsid would cost every step two program images, and no test would
    // notice otherwise.
    assertThat(SessionSpawn.available()).as(SessionSpawn.whyNot()).isEqualTo(newEnough);
  }

  @Test
  void without_jna_on_the_class_path_it_says_so_and_steps_keep_the_session_launcher()
      throws Exception {
    // tollgate-core's own classes alone, JNA left out, as in a service that does not add it.
    URL core = SessionSpawn.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader alone =
        new URLClassLoader(new URL[] {core}, ClassLoader.getPlatformClassLoader())) {
      Class<?> spawn = Class.forName(SessionSpawn.class.getName(), true, alone);
      Method available = spawn.getDeclaredMethod("available");
      Method whyNot = spawn.getDeclaredMethod("whyNot");
      available.setAccessible(true);
      whyNot.setAccessible(true);
      assertThat(available.invoke(null)).isEqualTo(false);
      assertThat(whyNot.invoke(null)).isEqualTo("JNA is not on the class path");
    }
  }

  @Test
  void the_program_leads_a_session_and_group_of_its_own_and_is_this_jvms_child() throws Exception {
    Process p = bash("read -r stat < /proc/$$/stat; echo \"$stat\"", path());
    String stat = output(p).trim();
    // pid (comm) state ppid pgrp session ...
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long pid = Long.parseLong(stat.substring(0, stat.indexOf(' ')));
    assertThat(pid).isEqualTo(p.pid());
    assertThat(Long.parseLong(fields[1])).isEqualTo(ProcessHandle.current().pid());
    assertThat(Long.parseLong(fields[2])).as("process group").isEqualTo(pid);
    assertThat(Long.parseLong(fields[3])).as("session").isEqualTo(pid);
  }

  @Test
  void it_gets_exactly_the_given_environment_and_folder() throws Exception {
    Map<String, String> env =
        Map.of("PATH", path().get("PATH"), "GREETING", "hello 'world' $(not run)", "EMPTY", "");
    String out = output(bash("printf '%s\\n' \"$PWD\"; export -p", env));
    List<String> lines = out.lines().collect(Collectors.toList());
    assertThat(Path.of(lines.get(0)).toRealPath()).isEqualTo(dir.toRealPath());
    Set<String> names =
        lines.stream()
            .skip(1)
            .map(l -> l.replaceFirst("^declare -x ", "").replaceFirst("=.*", ""))
            .collect(Collectors.toCollection(TreeSet::new));
    // bash adds PWD, OLDPWD and SHLVL of its own; nothing of this JVM's environment arrives.
    assertThat(names).containsExactly("EMPTY", "GREETING", "OLDPWD", "PATH", "PWD", "SHLVL");
    assertThat(out).contains("GREETING=\"hello 'world' \\$(not run)\"").contains("EMPTY=\"\"");
  }

  @Test
  void it_holds_none_of_this_jvms_files_or_sockets() throws Exception {
    Path file = Files.writeString(dir.resolve("held"), "x");
    try (FileInputStream held = new FileInputStream(file.toFile());
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      long jvmFds;
      try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
        jvmFds = fds.count();
      }
      assertThat(jvmFds).as("this JVM's descriptors, so the test can fail").isGreaterThan(10);
      // The glob opens the folder it lists: that descriptor (3) is bash's own.
      String out = output(bash("cd /proc/$$/fd && echo *", path()));
      Set<String> fds = new TreeSet<>(Arrays.asList(out.trim().split(" ")));
      fds.remove("3");
      assertThat(fds).containsExactly("0", "1", "2");
      assertThat(held.read()).isEqualTo('x');
      assertThat(socket.isClosed()).isFalse();
    }
  }

  @Test
  void it_starts_with_no_signal_blocked() throws Exception {
    String out =
        output(
            bash(
                "while IFS= read -r line; do case $line in SigBlk:*) echo \"$line\";; esac;"
                    + " done < /proc/$$/status",
                path()));
    assertThat(out.trim()).matches("SigBlk:\\s+0+");
  }

  @Test
  void input_reaches_it_and_both_outputs_come_back_apart() throws Exception {
    Process p = bash("read -r x; echo \"out:$x\"; echo \"err:$x\" >&2; exit 3", path());
    try (OutputStream in = p.getOutputStream()) {
      in.write("go\n".getBytes(StandardCharsets.US_ASCII));
    }
    String err;
    try (InputStream e = p.getErrorStream()) {
      err = new String(e.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(output(p)).isEqualTo("out:go\n");
    assertThat(err).isEqualTo("err:go\n");
    assertThat(p.exitValue()).isEqualTo(3);
    assertThat(p.isAlive()).isFalse();
  }

  @Test
  void a_process_ended_by_a_signal_exits_with_128_and_its_number_as_the_jdks_do() throws Exception {
    Process p = bash("kill -s KILL $$", path());
    output(p);
    assertThat(p.exitValue()).isEqualTo(128 + 9);
  }

  @Test
  void destroy_stops_it_and_its_handle_and_exit_say_so() throws Exception {
    Process p = bash("exec sleep 30", path());
    assertThat(p.isAlive()).isTrue();
    assertThat(p.toHandle().isAlive()).isTrue();
    assertThatThrownBy(p::exitValue).isInstanceOf(IllegalThreadStateException.class);
    assertThat(p.waitFor(100, TimeUnit.MILLISECONDS)).isFalse();
    p.destroy();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(128 + 15);
    assertThat(p.toHandle().isAlive()).isFalse();
    p.getOutputStream().close();
    p.getInputStream().close();
    p.getErrorStream().close();
  }

  @Test
  void a_program_that_cannot_start_is_an_error_and_leaves_no_descriptor_open() throws Exception {
    needsTheCLibrarysStart();
    long before = openDescriptors();
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(
              () -> SessionSpawn.start(List.of(dir.resolve("missing").toString()), path(), dir))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("missing")
          .hasMessageContaining("error=2");
    }
    assertThatThrownBy(() -> SessionSpawn.start(List.of(BASH), path(), dir.resolve("nowhere")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("nowhere");
    assertThat(openDescriptors()).isLessThanOrEqualTo(before);
  }

  @Test
  void a_nul_character_in_the_environment_is_refused_without_its_value() {
    assertThatThrownBy(() -> bash("true", Map.of("SECRETISH", "a\0b")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("SECRETISH")
        .hasMessageNotContaining("a\0b");
  }

  private static long openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
