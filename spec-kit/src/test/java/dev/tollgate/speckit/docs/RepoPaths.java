package dev.tollgate.speckit.docs;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root (the folder holding {@code mvnw}) from the module being tested. */
final class RepoPaths {
  private RepoPaths() {}

  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no mvnw above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}
