package dev.tollgate.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The documentation's shell commands, executed: README.md, docs/getting-started.md and every page
 * that opts in are run command by command with the built runner jar, each page in a fresh copy of
 * {@code examples/} without Git, and fail when a command's exit code or printed output no longer
 * matches what the page shows. The syntax is in docs/doc-tests.md.
 */
class ExecutedDocsIT {
  private static final Path JAR = Path.of("target/tollgate.jar").toAbsolutePath();
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> ALWAYS = List.of("README.md", "docs/getting-started.md");

  @TestFactory
  Stream<DynamicTest> every_executed_page_still_does_what_it_shows() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String page : pages()) {
      tests.add(DynamicTest.dynamicTest(page, () -> check(page)));
    }
    return tests.stream();
  }

  /** README and getting-started, then the other Markdown pages that opt in, sorted. */
  static List<String> pages() throws IOException {
    List<String> pages = new ArrayList<>(ALWAYS);
    List<String> optIn = new ArrayList<>();
    for (Path dir : List.of(REPO.resolve("docs"), REPO.resolve("examples"))) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          String rel = REPO.relativize(f).toString().replace('\\', '/');
          if (rel.endsWith(".md")
              && !rel.contains("/target/")
              && !pages.contains(rel)
              && DocPage.parse(rel, Files.readString(f, StandardCharsets.UTF_8)).optedIn()) {
            optIn.add(rel);
          }
        }
      }
    }
    optIn.sort(null);
    pages.addAll(optIn);
    return pages;
  }

  private static void check(String name) throws Exception {
    DocPage page =
        DocPage.parse(name, Files.readString(REPO.resolve(name), StandardCharsets.UTF_8));
    assertThat(page.commands()).as(name + ": commands that run").anyMatch(DocPage.Command::runs);
    Path sandbox = sandbox();
    try {
      DocRunner runner = new DocRunner(sandbox, environment(sandbox), Duration.ofMinutes(2));
      List<String> problems = new ArrayList<>();
      for (DocRunner.Outcome o : runner.run(page)) {
        problems.addAll(o.problems());
      }
      assertThat(problems).as("commands of " + name + " that drifted from the page").isEmpty();
    } finally {
      delete(sandbox);
    }
  }

  /**
   * A fresh folder holding a copy of {@code examples/} (no {@code .git}, as in a downloaded
   * archive) and a {@code tollgate} script that runs the built jar.
   */
  private static Path sandbox() throws IOException {
    Path sandbox = Files.createTempDirectory("tollgate-docs");
    if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows")) {
      // The embedded PostgreSQL runs as 'nobody' under root; it must reach its data folder.
      Files.setPosixFilePermissions(sandbox, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Path from = REPO.resolve("examples");
    Path to = sandbox.resolve("examples");
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            String n = dir.getFileName().toString();
            if (!dir.equals(from)
                && (n.equals("target")
                    || (n.equals("postgres") && dir.getParent().endsWith(".tollgate")))) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.copy(file, to.resolve(from.relativize(file).toString()));
            return FileVisitResult.CONTINUE;
          }
        });
    Path script = sandbox.resolve("tollgate");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(
        script,
        "#!/bin/sh\n# The runner built by this checkout's Maven build.\nexec '"
            + java
            + "' -jar '"
            + JAR
            + "' \"$@\"\n");
    script.toFile().setExecutable(true);
    return sandbox;
  }

  /**
   * This process's environment without what would change the runner's behaviour: no GitHub Actions
   * variables (the gate would report to GitHub), no Tollgate settings except where the PostgreSQL
   * binaries are.
   */
  private static Map<String, String> environment(Path sandbox) {
    Map<String, String> env = new HashMap<>();
    System.getenv()
        .forEach(
            (k, v) -> {
              boolean dropped =
                  k.startsWith("GITHUB_")
                      || k.startsWith("RUNNER_")
                      || k.startsWith("ACTIONS_")
                      || k.equals("CI")
                      || (k.startsWith("TOLLGATE_") && !k.equals("TOLLGATE_POSTGRES_BIN"));
              if (!dropped) {
                env.put(k, v);
              }
            });
    env.put("PWD", sandbox.toString());
    // UTF-8 output (the runner prints arrows and dashes) and byte order for ls, whatever the
    // machine's locale.
    env.remove("LC_ALL");
    env.put("LANG", "C.UTF-8");
    env.put("LC_COLLATE", "C");
    return env;
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
