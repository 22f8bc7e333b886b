package dev.tollgate.actions.github;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared corpus of real-world GitHub documents next to the checkout ({@code
 * ../shared/corpus/github/}); tests that read it are skipped with a message when it is absent.
 */
final class Corpus {
  private Corpus() {}

  /** {@code ../shared/corpus/github}, relative to the folder holding {@code mvnw}. */
  static Path github() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    Path root = dir == null ? Path.of("../shared") : dir.resolve("../shared").normalize();
    return root.resolve("corpus/github");
  }

  /** The text of {@code corpus/github/<relative>}, or a skipped test when it is absent. */
  static String read(String relative) {
    Path file = github().resolve(relative);
    assumeTrue(Files.isRegularFile(file), "corpus absent: " + file);
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
