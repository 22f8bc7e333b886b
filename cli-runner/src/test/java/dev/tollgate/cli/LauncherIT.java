package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code action/launch.sh}, which starts the runner jar with an application class-data-sharing
 * archive, run as a real process with the real jar and JDK: the first run of a command writes the
 * archive, later runs map it, and whatever happens to the archive the command prints exactly what
 * it prints without one. Skipped where there is no {@code sh}.
 */
class LauncherIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path JAR = Path.of("target/tollgate.jar").toAbsolutePath();
  private static final String JAVA_HOME = System.getProperty("java.home");

  @TempDir Path dir;
  private Path cds;
  private Path project;

  /** What one run printed and returned. */
  record Run(int exit, String out, String err) {}

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(onPath("sh").isPresent(), "no sh on this machine");
    cds = dir.resolve("cds");
    project = dir.resolve("project");
    // A spec kit with one finding, so that the command prints to both streams and exits 1.
    Files.createDirectories(project.resolve("specs/001-login"));
    Files.writeString(
        project.resolve("specs/001-login/spec.md"),
        "# Feature Specification: Login\n\n## User Scenarios & Testing\n\n"
            + "### User Story 1 - Sign in\n\nA user signs in.\n",
        StandardCharsets.UTF_8);
  }

  private static Optional<Path> onPath(String name) {
    for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!p.isEmpty() && Files.isExecutable(Path.of(p, name))) {
        return Optional.of(Path.of(p, name));
      }
    }
    return Optional.empty();
  }

  private Run launch(String javaHome, Map<String, String> env, String... args) throws Exception {
    return launch(javaHome, JAR, env, args);
  }

  private Run launch(String javaHome, Path jar, Map<String, String> env, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of("sh", REPO.resolve("action/launch.sh").toString()));
    cmd.add(jar.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> e = pb.environment();
    e.keySet()
        .removeIf(
            k ->
                k.startsWith("TOLLGATE_")
                    || List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")
                        .contains(k));
    e.put("PATH", Path.of(javaHome, "bin") + File.pathSeparator + System.getenv("PATH"));
    e.put("JAVA_HOME", javaHome);
    e.put("TOLLGATE_CDS_DIR", cds.toString());
    e.putAll(env);
    e.values().removeIf(String::isEmpty);
    Process p = pb.start();
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("exits within 3 minutes").isTrue();
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private Run validate(Map<String, String> env) throws Exception {
    return launch(JAVA_HOME, env, "spec-kit", "validate", project.toString());
  }

  private Run validate() throws Exception {
    return validate(Map.of());
  }

  private List<Path> archives() throws IOException {
    if (!Files.isDirectory(cds)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(cds)) {
      return s.filter(p -> p.toString().endsWith(".jsa")).sorted().toList();
    }
  }

  @Test
  void the_first_run_of_a_command_writes_its_archive_and_later_runs_map_it() throws Exception {
    Run plain = validate(Map.of("TOLLGATE_CDS", "off"));
    assertThat(archives()).isEmpty();

    Run first = validate();
    assertThat(archives()).hasSize(1);
    Path archive = archives().get(0);
    assertThat(archive.getFileName().toString()).endsWith("-spec-kit.jsa");
    FileTime written = Files.getLastModifiedTime(archive);

    Path classes = dir.resolve("classes.log");
    Run second =
        validate(Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + classes + ":none"));
    Run third = validate();
    assertThat(archives()).containsExactly(archive);
    assertThat(Files.getLastModifiedTime(archive)).isEqualTo(written);
    // The runner's own classes come from the archive, not from the jar.
    assertThat(Files.readAllLines(classes))
        .anySatisfy(
            l -> assertThat(l).contains("dev.tollgate.cli.Main source: shared objects file"));

    for (Run r : List.of(first, third)) {
      assertThat(r).isEqualTo(plain);
    }
    assertThat(second.exit()).isEqualTo(plain.exit());
    assertThat(second.out()).isEqualTo(plain.out());
    assertThat(plain.exit()).isEqualTo(1);
    assertThat(plain.out()).contains("spec.md");
  }

  @Test
  void the_worker_runs_without_an_archive_and_stops_at_the_first_compiler() throws Exception {
    Map<String, String> flags = Map.of("JAVA_TOOL_OPTIONS", "-XX:+PrintFlagsFinal");

    Run worker = launch(JAVA_HOME, flags, "worker", "--help");
    Run serve = launch(JAVA_HOME, flags, "serve", "--help");

    assertThat(worker.exit()).isZero();
    assertThat(worker.out()).contains("Usage: tollgate worker");
    assertThat(tieredStopAtLevel(worker.out())).isEqualTo("1");
    // serve keeps the JVM's default, both compilers.
    assertThat(serve.exit()).isZero();
    assertThat(tieredStopAtLevel(serve.out())).isEqualTo("4");
    assertThat(archives()).isEmpty();
  }

  /** The value of TieredStopAtLevel in the JVM's -XX:+PrintFlagsFinal table. */
  private static String tieredStopAtLevel(String out) {
    return out.lines()
        .filter(l -> l.contains(" TieredStopAtLevel "))
        .map(l -> l.replaceAll(".*TieredStopAtLevel\\s*=\\s*(\\S+).*", "$1"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no TieredStopAtLevel in the flags printed"));
  }

  @Test
  void each_command_gets_its_own_archive_and_a_failed_run_writes_none() throws Exception {
    Run usage = launch(JAVA_HOME, Map.of(), "spec-kit", "validate", "--no-such-option");
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(archives()).isEmpty();

    validate();
    Run version = launch(JAVA_HOME, Map.of(), "--version");
    Run help = launch(JAVA_HOME, Map.of(), "gate", "--help");
    assertThat(version.exit()).isZero();
    assertThat(help.exit()).isZero();
    assertThat(archives())
        .extracting(p -> p.getFileName().toString().replaceAll("^.*-", ""))
        .containsExactlyInAnyOrder("gate.jsa", "kit.jsa");
  }

  @Test
  void a_damaged_archive_is_never_used_and_the_output_stays_the_same() throws Exception {
    Run plain = validate(Map.of("TOLLGATE_CDS", "off"));
    validate();
    Path archive = archives().get(0);
    byte[] good = Files.readAllBytes(archive);
    archive.toFile().setWritable(true);

    // Truncated (a full disk, a cache cut short): the JVM would crash on it, so it is not used and
    // the run writes a new one.
    Files.write(archive, java.util.Arrays.copyOf(good, good.length / 3));
    assertThat(validate()).isEqualTo(plain);
    assertThat(Files.size(archive)).isGreaterThan(good.length / 3);

    // The same size, other bytes: the JVM refuses it without a word.
    archive.toFile().setWritable(true);
    byte[] garbage = new byte[good.length];
    java.util.Arrays.fill(garbage, (byte) 0x5a);
    Files.write(archive, garbage);
    assertThat(validate()).isEqualTo(plain);
    assertThat(validate()).isEqualTo(plain);
  }

  @Test
  void an_archive_of_another_jar_file_is_written_again() throws Exception {
    Run plain = validate(Map.of("TOLLGATE_CDS", "off"));
    validate();
    Path archive = archives().get(0);
    String before = Files.readString(Path.of(archive + ".ok"));
    // The same jar, touched: the JVM refuses an archive made from a jar of another time.
    Path copy = dir.resolve("tollgate.jar");
    Files.copy(JAR, copy);
    Files.setLastModifiedTime(copy, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
    assertThat(launch(JAVA_HOME, copy, Map.of(), "spec-kit", "validate", project.toString()))
        .isEqualTo(plain);
    // Same bytes, so the same key; the archive now belongs to the copy.
    assertThat(archives()).containsExactly(archive);
    assertThat(Files.readString(Path.of(archive + ".ok")))
        .isNotEqualTo(before)
        .contains(copy.toString());
  }

  @Test
  void another_jdk_gets_its_own_archive_and_never_maps_one_made_by_another() throws Exception {
    Optional<Path> other = otherJdk();
    assumeTrue(other.isPresent(), "no second JDK 17 or newer under /usr/lib/jvm");
    String otherHome = other.get().toString();
    Run plainOther =
        launch(
            otherHome, Map.of("TOLLGATE_CDS", "off"), "spec-kit", "validate", project.toString());
    validate();
    Path ours = archives().get(0);

    // The other JDK's key differs: a new archive, the output unchanged.
    assertThat(launch(otherHome, Map.of(), "spec-kit", "validate", project.toString()))
        .isEqualTo(plainOther);
    assertThat(archives()).hasSize(2);

    // This JDK's archive planted under the other's name (a mix-up): refused silently.
    Path theirs = archives().stream().filter(p -> !p.equals(ours)).findFirst().orElseThrow();
    theirs.toFile().setWritable(true);
    Files.copy(ours, theirs, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String ok = Files.readString(Path.of(theirs + ".ok")).strip();
    Files.writeString(
        Path.of(theirs + ".ok"),
        ok.substring(0, ok.lastIndexOf(' ') + 1) + Files.size(theirs) + "\n");
    assertThat(launch(otherHome, Map.of(), "spec-kit", "validate", project.toString()))
        .isEqualTo(plainOther);
  }

  @Test
  void a_run_with_a_java_agent_neither_writes_nor_maps_an_archive() throws Exception {
    Run plain = validate(Map.of("TOLLGATE_CDS", "off"));
    Path agent = agentJar();
    String withAgent = "-javaagent:" + agent;

    // The first run would write the archive: JDK 17 refuses to start such a JVM with an agent.
    Run first = validate(Map.of("JAVA_TOOL_OPTIONS", withAgent));
    assertThat(first.exit()).isEqualTo(plain.exit());
    assertThat(first.out()).isEqualTo(plain.out());
    assertThat(withoutPickedUp(first.err())).isEqualTo(plain.err());
    assertThat(archives()).isEmpty();

    // With an archive written by a run without the agent, a run with one loads from the jar.
    validate();
    assertThat(archives()).hasSize(1);
    for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
      Path classes = dir.resolve("classes-" + variable + ".log");
      Run run =
          validate(Map.of(variable, withAgent + " -Xlog:class+load:file=" + classes + ":none"));
      assertThat(run.exit()).as(variable).isEqualTo(plain.exit());
      assertThat(run.out()).as(variable).isEqualTo(plain.out());
      assertThat(Files.readAllLines(classes))
          .as(variable)
          .anySatisfy(l -> assertThat(l).startsWith("dev.tollgate.cli.Main source: file:"))
          .noneSatisfy(l -> assertThat(l).contains("source: shared objects file (top)"));
    }
  }

  @Test
  void a_java_older_than_17_stops_with_exit_code_3_and_says_which_before_any_jvm_starts()
      throws Exception {
    Path old = fakeJdk("11.0.22");
    for (Map<String, String> env :
        List.of(
            Map.of("JAVA_HOME", old.toString()),
            Map.of("JAVA_HOME", "", "PATH", old.resolve("bin") + File.pathSeparator + "/bin"))) {
      for (String[] args :
          List.of(
              new String[] {"spec-kit", "validate", project.toString()},
              new String[] {"worker", "--once"})) {
        Run run = launch(JAVA_HOME, env, args);
        assertThat(run.exit()).as("%s %s", env, args[0]).isEqualTo(3);
        assertThat(run.err())
            .contains("needs Java 17 or newer")
            .contains(old.resolve("bin/java") + " is Java 11.0.22")
            .contains("JAVA_HOME");
        assertThat(run.out()).isEmpty();
        assertThat(dir.resolve("fake-java-ran")).doesNotExist();
      }
    }
    assertThat(archives()).isEmpty();
  }

  @Test
  void java_home_wins_over_the_java_on_the_path_and_no_java_at_all_is_exit_code_3()
      throws Exception {
    Run plain = validate(Map.of("TOLLGATE_CDS", "off"));
    Path old = fakeJdk("11.0.22");
    Run run =
        validate(
            Map.of(
                "PATH",
                old.resolve("bin") + File.pathSeparator + System.getenv("PATH"),
                "TOLLGATE_CDS",
                "off"));
    assertThat(run).isEqualTo(plain);

    Path empty = Files.createDirectories(dir.resolve("empty-bin"));
    Run none = validate(Map.of("JAVA_HOME", "", "PATH", empty.toString()));
    assertThat(none.exit()).isEqualTo(3);
    assertThat(none.err()).startsWith("tollgate: no java found: set JAVA_HOME");
  }

  /**
   * A folder that looks like a JDK of {@code version}: a release file, and a {@code bin/java} that
   * only leaves a mark that it ran.
   */
  private Path fakeJdk(String version) throws IOException {
    Path home = dir.resolve("jdk-" + version);
    Files.createDirectories(home.resolve("bin"));
    Files.writeString(
        home.resolve("release"),
        "IMPLEMENTOR=\"Fake\"\nJAVA_VERSION=\""
            + version
            + "\"\nJAVA_RUNTIME_VERSION=\""
            + version
            + "+1\"\n");
    Path java = home.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\ntouch '" + dir.resolve("fake-java-ran") + "'\n");
    assertThat(java.toFile().setExecutable(true)).isTrue();
    return home;
  }

  /** {@code err} without the JVM's note of the options it took from the environment. */
  private static String withoutPickedUp(String err) {
    return err.lines()
        .filter(l -> !l.startsWith("Picked up "))
        .map(l -> l + "\n")
        .reduce("", String::concat);
  }

  /** A jar holding {@link NoOpAgent}, an agent that watches every class load and changes none. */
  private Path agentJar() throws IOException {
    Path jar = dir.resolve("agent.jar");
    java.util.jar.Manifest manifest = new java.util.jar.Manifest();
    manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Premain-Class", NoOpAgent.class.getName());
    String entry = NoOpAgent.class.getName().replace('.', '/') + ".class";
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest);
        var in = NoOpAgent.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new java.util.jar.JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }

  /**
   * A Java agent that registers itself as a transformer: it sees every class loaded and returns it
   * unchanged (the interface's own {@code transform} returns {@code null}). One class, so that the
   * agent's jar needs no other.
   */
  public static final class NoOpAgent implements java.lang.instrument.ClassFileTransformer {
    private NoOpAgent() {}

    /** Registers the transformer. */
    public static void premain(String args, java.lang.instrument.Instrumentation inst) {
      inst.addTransformer(new NoOpAgent());
    }
  }

  /** A JDK other than this one, 17 or newer, from {@code /usr/lib/jvm}. */
  private static Optional<Path> otherJdk() throws IOException {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    Path own = Path.of(JAVA_HOME).toRealPath();
    Map<Path, Integer> found = new HashMap<>();
    try (Stream<Path> s = Files.list(jvms)) {
      for (Path home : s.toList()) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
          continue;
        }
        if (home.toRealPath().equals(own)) {
          continue;
        }
        for (String line : Files.readAllLines(release)) {
          if (line.startsWith("JAVA_VERSION=\"")) {
            String v = line.substring("JAVA_VERSION=\"".length()).replaceAll("[^0-9].*$", "");
            if (!v.isEmpty() && Integer.parseInt(v) >= 17) {
              found.put(home.toRealPath(), Integer.parseInt(v));
            }
          }
        }
      }
    }
    return found.keySet().stream().sorted().findFirst();
  }
}
