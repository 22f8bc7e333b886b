package dev.tollgate.policy;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.repo.RepositoryView;
import dev.tollgate.core.util.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A work tree to gate: a folder as given, or a Git bundle file cloned into a temporary folder and
 * checked out at the head, which {@link #close()} removes. {@link MergeGateService} opens one for
 * each request; a caller that must check its own input after the clone opens it first and passes
 * {@link #folder()} on.
 */
public final class GateCheckout implements AutoCloseable {
  private final Path folder;
  private final Optional<Path> scratch;

  private GateCheckout(Path folder, Optional<Path> scratch) {
    this.folder = folder;
    this.scratch = scratch;
  }

  /** Whether {@code path} is a bundle file: a regular file whose name ends in {@code .bundle}. */
  public static boolean isBundle(Path path) {
    return Files.isRegularFile(path) && path.getFileName().toString().endsWith(".bundle");
  }

  /**
   * The work tree of {@code repository}: the folder itself, or the bundle cloned and checked out at
   * {@code head}.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when it is neither a folder nor a bundle,
   *     or the bundle cannot be read or has no branch {@code head}
   */
  public static GateCheckout open(Path repository, String head) {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(head, "head");
    if (isBundle(repository)) {
      Path scratch;
      try {
        scratch = Files.createTempDirectory("tollgate-gate-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try {
        RepositoryView.cloneBundle(repository, head, scratch.resolve("repo"));
      } catch (RuntimeException e) {
        FileTrees.deleteQuietly(scratch);
        throw e;
      }
      return new GateCheckout(scratch.resolve("repo"), Optional.of(scratch));
    }
    if (!Files.isDirectory(repository)) {
      throw TollgateException.badInput(
          "repository '" + repository + "' is not a folder or a .bundle file");
    }
    return new GateCheckout(repository, Optional.empty());
  }

  /** The folder to open with {@link RepositoryView#open}. */
  public Path folder() {
    return folder;
  }

  /** Removes the clone of a bundle; a folder given as such is left alone. */
  @Override
  public void close() {
    scratch.ifPresent(FileTrees::deleteQuietly);
  }
}
