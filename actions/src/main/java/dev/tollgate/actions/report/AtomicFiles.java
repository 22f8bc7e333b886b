package dev.tollgate.actions.report;

import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes an output file so that readers see either the old content or the new, never half: the text
 * goes to a temporary file in the same folder, which is then renamed over the target. The runner's
 * {@code --output} files and the report folder of GitHub mode are written this way; messages name
 * the file as the {@code --output} option gave it.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Replaces {@code target} with {@code text} encoded as UTF-8.
   *
   * @param shownAs how the file is named in messages
   * @throws TollgateException BAD_INPUT when the target is a folder, its folder does not exist or
   *     is not writable; COULD_NOT_FINISH when writing fails otherwise
   */
  public static void write(Path target, String shownAs, String text) {
    write(target, shownAs, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Replaces {@code target} with {@code content}; see {@link #write(Path, String, String)}. */
  public static void write(Path target, byte[] content) {
    write(target, target.toString(), content);
  }

  private static void write(Path target, String shownAs, byte[] content) {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (Files.isDirectory(absolute)) {
      throw TollgateException.badInput("--output " + shownAs + " is a folder, not a file");
    }
    if (dir == null || !Files.isDirectory(dir)) {
      throw TollgateException.badInput(
          "--output " + shownAs + ": folder " + dir + " does not exist");
    }
    Path temp = null;
    try {
      temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
      Files.write(temp, content);
      try {
        Files.move(
            temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
    } catch (AccessDeniedException e) {
      throw TollgateException.badInput("--output " + shownAs + ": permission denied");
    } catch (IOException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "could not write " + shownAs + ": " + e.getMessage(),
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
