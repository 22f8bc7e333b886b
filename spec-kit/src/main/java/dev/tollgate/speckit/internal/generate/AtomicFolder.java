package dev.tollgate.speckit.internal.generate;

import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Creates a folder of files all at once: writes them into a hidden sibling folder, then renames
 * that into place, so a failure halfway leaves nothing behind and an existing folder is never
 * touched.
 */
public final class AtomicFolder {
  private AtomicFolder() {}

  /**
   * Creates {@code target} holding {@code files} (name to UTF-8 content).
   *
   * @param shownAs how the target is named in messages, e.g. {@code specs/003-login}
   * @throws TollgateException of kind BAD_INPUT when {@code target} already exists, of kind
   *     COULD_NOT_FINISH when writing fails
   */
  public static void create(Path target, String shownAs, Map<String, String> files) {
    if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw exists(shownAs);
    }
    Path parent = target.toAbsolutePath().getParent();
    Path createdParent = null;
    Path temp = null;
    try {
      if (Files.exists(parent) && !Files.isDirectory(parent)) {
        throw TollgateException.badInput(
            parent.getFileName() + " is a file, not a folder; cannot create " + shownAs + " in it");
      }
      if (!Files.exists(parent)) {
        createdParent = firstMissing(parent);
        Files.createDirectories(parent);
      }
      temp = parent.resolve(".tollgate-init-" + UUID.randomUUID());
      Files.createDirectory(temp);
      for (Map.Entry<String, String> file : files.entrySet()) {
        Files.writeString(temp.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target);
      }
      temp = null;
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      throw exists(shownAs);
    } catch (IOException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "could not create " + shownAs + ": " + e.getMessage(),
          e);
    } finally {
      deleteQuietly(temp);
      if (createdParent != null && !Files.exists(target)) {
        deleteQuietly(createdParent);
      }
    }
  }

  private static TollgateException exists(String shownAs) {
    return TollgateException.badInput(
        shownAs + " already exists; refusing to overwrite it (choose another name or remove it)");
  }

  private static Path firstMissing(Path dir) {
    Path missing = dir;
    while (missing.getParent() != null && !Files.exists(missing.getParent())) {
      missing = missing.getParent();
    }
    return missing;
  }

  private static void deleteQuietly(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // Best effort: the temp folder is hidden and harmless if it survives.
                }
              });
    } catch (IOException ignored) {
      // Best effort, as above.
    }
  }
}
