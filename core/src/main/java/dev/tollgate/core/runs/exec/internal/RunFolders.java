package dev.tollgate.core.runs.exec.internal;

import dev.tollgate.core.util.FileTrees;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The working folders of runs, {@code tollgate-run-<run>-<random>} in one parent folder, each with
 * a lock file beside it ({@code tollgate-run-<run>-<random>.lock}) that the executing process holds
 * locked for as long as the folder is in use. The operating system drops the lock when that process
 * ends, however it ends (SIGKILL included), so a folder whose lock can be taken belongs to nobody:
 * {@link #sweep} removes those, which a killed worker would otherwise leave behind for good.
 *
 * <p>A lock file is created under a name the sweep treats as unfinished ({@code
 * .tollgate-run-…​.lock.new}), locked, and only then renamed to its final name (a rename keeps the
 * file and its lock), so the sweep never finds a final lock file that is not locked yet. Should a
 * sweep remove an unfinished one before its owner locked it, the owner's rename fails and it starts
 * over under a new name. The folder is created after its lock. Folders without a lock file (made by
 * an older Tollgate, or by hand) are left alone.
 *
 * <p>POSIX drops every lock a process holds on a file when the process closes <em>any</em> handle
 * on it, so within one JVM the sweep never opens a lock file this JVM holds: taking a lock and
 * sweeping are serialised, and the lock files held here are remembered.
 */
public final class RunFolders {
  private static final String PREFIX = "tollgate-run-";
  private static final String LOCK = ".lock";
  private static final String UNFINISHED = ".lock.new";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ReentrantLock LOCKING = new ReentrantLock();
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
  private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

  private final Path parent;

  private RunFolders(Path parent) {
    this.parent = Objects.requireNonNull(parent, "parent").toAbsolutePath();
  }

  /** Run folders in {@code parent}. */
  public static RunFolders in(Path parent) {
    return new RunFolders(parent);
  }

  /** Run folders in the JVM's temporary folder ({@code java.io.tmpdir}). */
  public static RunFolders inTemporaryFolder() {
    return in(Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** A run's working folder, in use until {@linkplain #close closed}, which removes it. */
  public static final class Folder implements AutoCloseable {
    private final Path path;
    private final Path lockFile;
    private final FileChannel channel;
    private boolean closed;

    private Folder(Path path, Path lockFile, FileChannel channel) {
      this.path = path;
      this.lockFile = lockFile;
      this.channel = channel;
    }

    /** The folder. */
    public Path path() {
      return path;
    }

    /** Removes the folder and its lock file, then lets go of the lock. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      FileTrees.deleteQuietly(path);
      try {
        Files.deleteIfExists(lockFile);
      } catch (IOException e) {
        // Unlocked, a lock file left behind is removed by the next sweep.
      }
      release(lockFile, channel);
    }
  }

  /**
   * Creates the working folder of run {@code runId}, readable by this user only, and locks it.
   *
   * @throws IOException when the folder or its lock file cannot be created
   */
  public Folder create(long runId) throws IOException {
    for (int attempt = 0; ; attempt++) {
      String name = PREFIX + runId + "-" + Long.toUnsignedString(RANDOM.nextLong(), 36);
      Path unfinished = parent.resolve("." + name + UNFINISHED);
      Path lockFile = parent.resolve(name + LOCK);
      FileChannel channel = null;
      LOCKING.lock();
      try {
        try {
          Files.createFile(unfinished, ownerOnly(false));
        } catch (FileAlreadyExistsException e) {
          continue;
        }
        // No sweep of this JVM runs until LOCKING is released, so only the final lock file needs
        // to be remembered as held, and only once it is.
        channel = FileChannel.open(unfinished, StandardOpenOption.WRITE);
        channel.lock();
        Files.move(unfinished, lockFile, StandardCopyOption.ATOMIC_MOVE);
        Path folder = Files.createDirectory(parent.resolve(name), ownerOnly(true));
        HELD.add(lockFile);
        return new Folder(folder, lockFile, channel);
      } catch (NoSuchFileException e) {
        // A sweep took the unfinished lock file before it was locked: start over, a few times.
        cleanUp(unfinished, lockFile, channel);
        if (attempt >= 3) {
          throw e;
        }
      } catch (IOException | RuntimeException e) {
        cleanUp(unfinished, lockFile, channel);
        throw e;
      } finally {
        LOCKING.unlock();
      }
    }
  }

  /**
   * Removes the folders whose process has ended without removing them: every final lock file here
   * that can be locked, with its folder, and every unfinished one that can be. Returns the folders
   * removed. Problems with single entries are skipped (the next sweep tries again).
   */
  public List<Path> sweep() {
    List<Path> removed = new ArrayList<>();
    List<Path> candidates = new ArrayList<>();
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(parent, "{" + PREFIX + "*" + LOCK + ",." + PREFIX + "*}")) {
      entries.forEach(candidates::add);
    } catch (IOException e) {
      return removed;
    }
    for (Path lockFile : candidates) {
      String name = lockFile.getFileName().toString();
      boolean unfinished = name.endsWith(UNFINISHED);
      if (!unfinished && !name.endsWith(LOCK)) {
        continue;
      }
      LOCKING.lock();
      try {
        if (HELD.contains(lockFile)) {
          continue;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
          FileLock lock;
          try {
            lock = channel.tryLock();
          } catch (OverlappingFileLockException e) {
            continue;
          }
          if (lock == null) {
            continue;
          }
          if (!unfinished) {
            Path folder = parent.resolve(name.substring(0, name.length() - LOCK.length()));
            if (Files.isDirectory(folder) && FileTrees.deleteQuietly(folder)) {
              removed.add(folder);
            }
          }
          Files.deleteIfExists(lockFile);
        }
      } catch (IOException e) {
        // Gone meanwhile, or not ours to open: the next sweep looks again.
      } finally {
        LOCKING.unlock();
      }
    }
    return removed;
  }

  /**
   * {@link #sweep} the first time this JVM asks for this parent folder, nothing after: a process
   * that executes runs sweeps once when it starts, for what ended processes left.
   */
  public List<Path> sweepOnce() {
    return SWEPT.add(parent) ? sweep() : List.of();
  }

  private static void cleanUp(Path unfinished, Path lockFile, FileChannel channel) {
    try {
      Files.deleteIfExists(unfinished);
      Files.deleteIfExists(lockFile);
    } catch (IOException e) {
      // Left for the next sweep.
    }
    if (channel != null) {
      release(lockFile, channel);
    }
  }

  private static void release(Path lockFile, FileChannel channel) {
    LOCKING.lock();
    try {
      channel.close();
    } catch (IOException e) {
      // Closing drops the lock whatever it reports.
    } finally {
      HELD.remove(lockFile);
      LOCKING.unlock();
    }
  }

  private FileAttribute<?>[] ownerOnly(boolean directory) {
    if (!parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"))
    };
  }
}
