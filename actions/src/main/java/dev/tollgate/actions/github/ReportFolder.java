package dev.tollgate.actions.github;

import dev.tollgate.actions.report.AtomicFiles;
import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    files.forEach((name, text) -> AtomicFiles.write(dir.resolve(name), name, text));
  }
}
