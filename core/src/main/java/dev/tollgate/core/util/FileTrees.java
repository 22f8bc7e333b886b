package dev.tollgate.core.util;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * Removes folders with everything in them: scratch clones, unpacked binaries, step work folders.
 */
@API(status = INTERNAL, since = "0.1.0")
public final class FileTrees {
  private FileTrees() {}

  /**
   * Deletes {@code root} and everything below it, deepest first; a missing {@code root} is nothing
   * to do. Symbolic links are removed, never followed.
   *
   * @throws IOException the first file or folder that could not be deleted
   */
  public static void delete(Path root) throws IOException {
    if (deletedAsItIs(root)) {
      return;
    }
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
    if (deletedAsItIs(root)) {
      return true;
    }
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

  /**
   * Whether {@code root} is gone after one attempt to delete it as it is: true when it was an empty
   * folder, a file or a link (deleted), or missing; false when it is a folder with something in it,
   * or could not be deleted, and the walk is needed. A step's work folder is most often left empty,
   * and walking it (a stream, a sort) cost a worker a millisecond per run.
   */
  private static boolean deletedAsItIs(Path root) {
    try {
      Files.deleteIfExists(root);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
