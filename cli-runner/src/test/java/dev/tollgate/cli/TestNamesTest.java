package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One naming style for tests across the repository: a test method is a sentence in snake case that
 * says the behaviour it checks ({@code a_blocked_action_changes_nothing}), as CONTRIBUTING.md asks.
 */
class TestNamesTest {
  private static final Pattern TEST =
      Pattern.compile(
          "@(Test|Property|ParameterizedTest|Example|RepeatedTest|TestFactory)\\b[^{;]*?\\bvoid"
              + " ([A-Za-z0-9_]+)\\s*\\(",
          Pattern.DOTALL);

  @Test
  void every_test_method_in_the_repository_is_named_as_a_snake_case_sentence() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<String> wrong = new ArrayList<>();
    int seen = 0;
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file :
          (Iterable<Path>)
              files
                      .filter(p -> p.toString().replace('\\', '/').contains("/src/test/java/"))
                      .filter(p -> !p.toString().replace('\\', '/').contains("/target/"))
                      .filter(p -> p.toString().endsWith(".java"))
                  ::iterator) {
        Matcher m = TEST.matcher(Files.readString(file));
        while (m.find()) {
          seen++;
          String name = m.group(2);
          if (!name.matches("[a-z0-9]+(_[a-z0-9]+)+")) {
            wrong.add(root.relativize(file) + ": " + name);
          }
        }
      }
    }
    assertThat(seen).as("test methods found").isGreaterThan(1000);
    assertThat(wrong).as("test methods not named as snake_case sentences").isEmpty();
  }
}
