package dev.tollgate.core.repo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/** A scratch Git repository for tests, written through JGit so no git executable is needed. */
final class TestRepo implements AutoCloseable {
  final Path root;
  final Git git;
  private int clock = 0;

  private TestRepo(Path root, Git git) {
    this.root = root;
    this.git = git;
  }

  static TestRepo init(Path root) throws GitAPIException {
    return new TestRepo(
        root, Git.init().setDirectory(root.toFile()).setInitialBranch("main").call());
  }

  TestRepo write(String path, String text) throws IOException {
    return write(path, text.getBytes(StandardCharsets.UTF_8));
  }

  TestRepo write(String path, byte[] bytes) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    return this;
  }

  TestRepo delete(String path) throws IOException {
    Files.delete(root.resolve(path));
    return this;
  }

  String commit(String message) throws GitAPIException {
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    PersonIdent who =
        new PersonIdent(
            "Tess Ter",
            "tess@example.com",
            java.time.Instant.ofEpochSecond(1_700_000_000L + clock++),
            java.time.ZoneOffset.UTC);
    return git.commit()
        .setMessage(message)
        .setAuthor(who)
        .setCommitter(who)
        .setSign(false)
        .call()
        .getName();
  }

  TestRepo branch(String name) throws GitAPIException {
    git.checkout().setCreateBranch(true).setName(name).call();
    return this;
  }

  TestRepo checkout(String name) throws GitAPIException {
    git.checkout().setName(name).call();
    return this;
  }

  TestRepo tag(String name, boolean annotated) throws GitAPIException {
    git.tag()
        .setName(name)
        .setAnnotated(annotated)
        .setMessage(annotated ? "release" : null)
        .setSigned(false)
        .call();
    return this;
  }

  @Override
  public void close() {
    git.close();
  }
}
