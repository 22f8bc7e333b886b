package dev.tollgate.core.workitem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When an item's data was last written, read from a real Git repository (JGit) and from a copy of
 * the same files without Git, whose modification times say nothing.
 */
class FileWorkItemStoreSnapshotTest {
  static final Instant WRITTEN = Instant.parse("2026-03-01T08:00:00Z");
  static final Instant LATER = Instant.parse("2026-03-10T17:45:00Z");
  static final Instant COPIED = Instant.parse("2026-03-14T11:59:00Z");

  @TempDir Path repo;

  static void item(Path root, String id) throws IOException {
    Path f = root.resolve("work-items").resolve(id + ".yml");
    Files.createDirectories(f.getParent());
    Files.writeString(f, "id: " + id + "\ntitle: Item " + id + "\nlane: ready\nstatus: open\n");
  }

  static RevCommit commit(Git git, String message, Instant at) throws Exception {
    git.add().addFilepattern(".").call();
    PersonIdent who = new PersonIdent("Tess", "t@example.com", at, ZoneOffset.UTC);
    return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
  }

  static void touch(Path file, Instant at) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(at));
  }

  static ItemSnapshot snapshot(Path root, String id) {
    return FileWorkItemStore.open(root).snapshot(id).orElseThrow();
  }

  @Test
  void in_a_git_checkout_the_time_is_the_last_commit_changing_the_file_not_the_file_time()
      throws Exception {
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      item(repo, "wi-1");
      RevCommit first = commit(git, "board", WRITTEN);
      item(repo, "wi-2");
      commit(git, "another item", LATER);
      // A checkout (actions/checkout, git clone) gives every file the time it was written out.
      touch(repo.resolve("work-items/wi-1.yml"), COPIED);

      ItemSnapshot s = snapshot(repo, "wi-1");
      assertThat(s.basis()).isEqualTo(ItemSnapshot.Basis.COMMIT);
      assertThat(s.at()).isEqualTo(WRITTEN);
      assertThat(s.commit()).contains(first.getName());
      assertThat(snapshot(repo, "wi-2").at()).isEqualTo(LATER);
    }
  }

  @Test
  void a_copy_of_the_same_files_without_git_gives_the_file_time_labelled_as_such(@TempDir Path copy)
      throws Exception {
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      item(repo, "wi-1");
      commit(git, "board", WRITTEN);
    }
    Path f = copy.resolve("work-items/wi-1.yml");
    Files.createDirectories(f.getParent());
    Files.copy(repo.resolve("work-items/wi-1.yml"), f);
    touch(f, COPIED);

    ItemSnapshot s = snapshot(copy, "wi-1");
    assertThat(s.basis()).isEqualTo(ItemSnapshot.Basis.FILE_MODIFIED_TIME);
    assertThat(s.at()).isEqualTo(COPIED);
    assertThat(s.commit()).isEmpty();
  }

  @Test
  void edited_and_new_files_are_uncommitted_changes_dated_by_their_file_time() throws Exception {
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      item(repo, "wi-1");
      commit(git, "board", WRITTEN);
      Files.writeString(repo.resolve("work-items/wi-1.yml"), "owner: bob\n", APPEND);
      touch(repo.resolve("work-items/wi-1.yml"), LATER);
      item(repo, "wi-2");
      touch(repo.resolve("work-items/wi-2.yml"), COPIED);

      assertThat(snapshot(repo, "wi-1")).isEqualTo(ItemSnapshot.uncommittedChange(LATER));
      assertThat(snapshot(repo, "wi-2")).isEqualTo(ItemSnapshot.uncommittedChange(COPIED));
    }
  }

  private static final java.nio.file.StandardOpenOption APPEND =
      java.nio.file.StandardOpenOption.APPEND;

  @Test
  void an_ignored_item_file_is_in_no_history() throws Exception {
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      Files.writeString(repo.resolve(".gitignore"), "work-items/\n");
      commit(git, "ignore the board", WRITTEN);
      item(repo, "wi-1");
      touch(repo.resolve("work-items/wi-1.yml"), LATER);
      assertThat(snapshot(repo, "wi-1")).isEqualTo(ItemSnapshot.fileModifiedTime(LATER));
    }
  }

  @Test
  void a_project_in_a_subfolder_of_the_repository_reads_its_files_history() throws Exception {
    Path project = repo.resolve("services/shop");
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      item(project, "wi-1");
      RevCommit c = commit(git, "board", WRITTEN);
      touch(project.resolve("work-items/wi-1.yml"), COPIED);
      assertThat(snapshot(project, "wi-1")).isEqualTo(ItemSnapshot.commit(WRITTEN, c.getName()));
    }
  }

  @Test
  void a_shallow_clone_only_knows_the_file_changed_at_or_before_its_oldest_commit()
      throws Exception {
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      item(repo, "wi-1");
      commit(git, "board", WRITTEN);
      item(repo, "wi-2");
      RevCommit boundary = commit(git, "another item", LATER);
      // What `git clone --depth 1` (actions/checkout's default) records: history is cut here.
      Files.writeString(repo.resolve(".git/shallow"), boundary.getName() + "\n");
    }
    ItemSnapshot s = snapshot(repo, "wi-1");
    assertThat(s.basis()).isEqualTo(ItemSnapshot.Basis.SHALLOW_BOUNDARY);
    assertThat(s.at()).isEqualTo(LATER);
  }

  @Test
  void a_store_without_files_cannot_tell() {
    InMemoryWorkItemStore store =
        new InMemoryWorkItemStore(
            java.util.List.of(WorkItem.builder("wi-1", "First", "ready").build()));
    assertThat(store.snapshot("wi-1")).isEmpty();
    assertThat(FileWorkItemStore.open(repo).snapshot("wi-9")).isEmpty();
  }
}
