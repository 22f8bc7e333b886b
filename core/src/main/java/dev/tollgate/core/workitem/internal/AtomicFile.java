package dev.tollgate.core.workitem.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file's content atomically: the bytes go to a temporary file in the same folder, are
 * forced to disk, and the temporary file is then renamed over the target with {@code ATOMIC_MOVE}.
 * Readers see the old content or the new, never a mix; on failure the temporary file is removed.
 */
public final class AtomicFile {
  /** The rename step; replaceable so tests can make it fail. */
  @FunctionalInterface
  public interface Mover {
    /** Renames {@code source} over {@code target} atomically. */
    void move(Path source, Path target) throws IOException;
  }

  /** The real rename: {@code ATOMIC_MOVE}, replacing the target. */
  public static final Mover ATOMIC =
      (source, target) ->
          Files.move(
              source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

  private AtomicFile() {}

  /**
   * Writes {@code bytes} to {@code target}, creating its folder if needed.
   *
   * @throws IOException when any step fails; {@code target} is then unchanged
   */
  public static void write(Path target, byte[] bytes, Mover mover) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(true);
      }
      mover.move(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
