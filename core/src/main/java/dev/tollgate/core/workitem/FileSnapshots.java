package dev.tollgate.core.workitem;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Reads when a file's data was last written: from the last commit that changed it when a Git
 * working copy holds it unchanged, otherwise from its modification time, labelled with which of the
 * two it is. Read-only; needs no {@code git} executable.
 */
final class FileSnapshots {
  private FileSnapshots() {}

  /**
   * The snapshot of {@code file}; empty when the file cannot be read at all.
   *
   * <p>Git problems (a damaged repository, an unreadable index) fall back to the modification time
   * labelled as such: an item's age is worth showing even when its history cannot be read.
   */
  public static Optional<ItemSnapshot> of(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    Optional<Instant> modified = modified(absolute);
    if (modified.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(fromGit(absolute, modified.get()));
    } catch (IOException | GitAPIException | JGitInternalException | IllegalArgumentException e) {
      return Optional.of(ItemSnapshot.fileModifiedTime(modified.get()));
    }
  }

  private static ItemSnapshot fromGit(Path file, Instant modified)
      throws IOException, GitAPIException {
    File start = file.getParent().toFile();
    FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(start);
    if (builder.getGitDir() == null) {
      return ItemSnapshot.fileModifiedTime(modified);
    }
    try (Repository repo = builder.setMustExist(true).build()) {
      if (repo.isBare()) {
        return ItemSnapshot.fileModifiedTime(modified);
      }
      Path workTree = repo.getWorkTree().toPath().toRealPath();
      Path real = file.toRealPath();
      if (!real.startsWith(workTree)) {
        return ItemSnapshot.fileModifiedTime(modified);
      }
      String path = workTree.relativize(real).toString().replace(File.separatorChar, '/');
      try (Git git = Git.wrap(repo)) {
        Status status = git.status().addPath(path).call();
        if (!status.isClean()) {
          return ItemSnapshot.uncommittedChange(modified);
        }
        Iterator<RevCommit> last =
            repo.resolve("HEAD") == null
                ? java.util.Collections.emptyIterator()
                : git.log().addPath(path).setMaxCount(1).call().iterator();
        if (!last.hasNext()) {
          // Clean yet in no commit: the file is ignored, so no history holds it.
          return ItemSnapshot.fileModifiedTime(modified);
        }
        RevCommit commit = last.next();
        Instant at = commit.getCommitterIdent().getWhenAsInstant();
        Set<ObjectId> shallow = repo.getObjectDatabase().getShallowCommits();
        return shallow.contains(commit.getId())
            ? ItemSnapshot.shallowBoundary(at, commit.getName())
            : ItemSnapshot.commit(at, commit.getName());
      }
    }
  }

  private static Optional<Instant> modified(Path file) {
    try {
      return Optional.of(Files.getLastModifiedTime(file).toInstant());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
