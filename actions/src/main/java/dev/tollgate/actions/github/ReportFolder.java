package dev.tollgate.actions.github;

import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The folder a GitHub-mode gate run leaves its report in ({@code report.json}, {@code comment.md},
 * {@code pull-request.json}), for an artifact upload and a trusted workflow that posts it. Each
 * file is replaced atomically, so that a reader sees the old report or the new, never half.
 */
final class ReportFolder {
  private ReportFolder() {}

  /**
   * Creates {@code dir} if needed and writes each file name to its text, in order.
   *
   * @throws TollgateException BAD_INPUT when a file is a folder or may not be written;
   *     COULD_NOT_FINISH when the folder cannot be created or writing fails otherwise
   */
  static void write(Path dir, Map<String, String> files) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "cannot create the report folder " + dir + ": " + e.getMessage(),
          e);
    }
    files.forEach((name, text) -> replace(dir.resolve(name), name, text));
  }

  // The messages are those the runner's --output writer gives, which wrote these files before.
  private static void replace(Path target, String name, String text) {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (Files.isDirectory(absolute)) {
      throw TollgateException.badInput("--output " + name + " is a folder, not a file");
    }
    Path temp = null;
    try {
      temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      try {
        Files.move(
            temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
    } catch (AccessDeniedException e) {
      throw TollgateException.badInput("--output " + name + ": permission denied");
    } catch (IOException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "could not write " + name + ": " + e.getMessage(),
          e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // The temp file is hidden and harmless; the original error matters more.
        }
      }
    }
  }
}
