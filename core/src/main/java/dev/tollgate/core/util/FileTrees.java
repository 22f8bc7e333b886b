package dev.tollgate.core.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Removes folders with everything in them: scratch clones, unpacked binaries, step work folders.
 */
public final class FileTrees {
  private FileTrees() {}

  /**
   * Deletes {@code root} and everything below it, deepest first; a missing {@code root} is nothing
   * to do. Symbolic links are removed, never followed.
   *
   * @throws IOException the first file or folder that could not be deleted
   */
  public static void delete(Path root) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    } catch (NoSuchFileException e) {
      return;
    }
    for (Path p : paths) {
      Files.deleteIfExists(p);
    }
  }

  /**
   * Deletes what it can of {@code root} and everything below it, for clean-ups whose failure must
   * not hide the outcome of the work before them (a leftover temporary folder is harmless).
   *
   * @return whether {@code root} is gone
   */
  public static boolean deleteQuietly(Path root) {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    } catch (IOException e) {
      return Files.notExists(root);
    }
    for (Path p : paths) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // Keep going: every file removed is one less left behind.
      }
    }
    return Files.notExists(root);
  }
}
