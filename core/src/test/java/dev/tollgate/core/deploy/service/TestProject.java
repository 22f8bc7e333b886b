package dev.tollgate.core.deploy.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/** A project checkout for the service tests: deploy specs in a Git repository, via JGit. */
public final class TestProject {
  private final Path root;
  private int commits;

  public TestProject(Path root) throws Exception {
    this.root = root;
    Git.init().setDirectory(root.toFile()).setInitialBranch("main").call().close();
  }

  public Path root() {
    return root;
  }

  /** Writes {@code .tollgate/deploy/<environment>.yml}. */
  public TestProject spec(String environment, String yaml) throws Exception {
    Path file = root.resolve(".tollgate/deploy/" + environment + ".yml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, yaml);
    return this;
  }

  /** Writes {@code path} with {@code text}. */
  public TestProject file(String path, String text) throws Exception {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return this;
  }

  /** Commits everything and returns the commit id. */
  public String commit(String message) throws Exception {
    try (Git git = Git.open(root.toFile())) {
      git.add().addFilepattern(".").call();
      PersonIdent who =
          new PersonIdent(
              "Tess Ter",
              "tess@example.com",
              Instant.ofEpochSecond(1_700_000_000L + commits++),
              ZoneOffset.UTC);
      return git.commit()
          .setMessage(message)
          .setAuthor(who)
          .setCommitter(who)
          .setSign(false)
          .call()
          .getName();
    }
  }

  /** Tags HEAD. */
  public TestProject tag(String name) throws Exception {
    try (Git git = Git.open(root.toFile())) {
      git.tag().setName(name).setAnnotated(false).call();
    }
    return this;
  }
}
