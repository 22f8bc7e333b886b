package dev.tollgate.core.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryViewTest {
  @TempDir Path dir;

  private static String lines(int n, String prefix) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(prefix).append(i).append('\n');
    }
    return b.toString();
  }

  @Test
  void changes_count_added_and_deleted_lines_per_file_and_detect_renames() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.write("src/a.txt", lines(10, "a"))
          .write("src/moved.txt", lines(40, "stable line "))
          .write("gone.txt", "x\ny\n")
          .commit("base");
      repo.branch("bf/BF-274-x");
      String a = lines(10, "a").replace("a3\n", "A3\n") + "extra\n";
      repo.write("src/a.txt", a)
          .delete("gone.txt")
          .delete("src/moved.txt")
          .write("lib/moved.txt", lines(40, "stable line "))
          .write("new.txt", "1\n2\n3\n")
          .write("img.bin", new byte[] {0, 1, 2, 0, 3})
          .commit("head");

      try (RepositoryView view = RepositoryView.open(dir)) {
        ChangeSet c = view.changes("main", "bf/BF-274-x");
        assertThat(c.files())
            .extracting(ChangedFile::path)
            .containsExactly("gone.txt", "img.bin", "lib/moved.txt", "new.txt", "src/a.txt");
        ChangedFile edited = c.files().get(4);
        assertThat(edited.type()).isEqualTo(ChangeType.MODIFIED);
        assertThat(edited.added()).isEqualTo(2);
        assertThat(edited.deleted()).isEqualTo(1);
        ChangedFile gone = c.files().get(0);
        assertThat(gone.type()).isEqualTo(ChangeType.DELETED);
        assertThat(gone.deleted()).isEqualTo(2);
        assertThat(gone.blobId()).isEmpty();
        ChangedFile moved = c.files().get(2);
        assertThat(moved.type()).isEqualTo(ChangeType.RENAMED);
        assertThat(moved.oldPath()).contains("src/moved.txt");
        assertThat(moved.changedLines()).isZero();
        ChangedFile bin = c.files().get(1);
        assertThat(bin.binary()).isTrue();
        assertThat(bin.changedLines()).isZero();
        assertThat(c.fileCount()).isEqualTo(5);
        assertThat(c.added()).isEqualTo(5);
        assertThat(c.deleted()).isEqualTo(3);
        assertThat(
                new String(
                    view.blob(c.files().get(3).blobId().orElseThrow()), StandardCharsets.UTF_8))
            .isEqualTo("1\n2\n3\n");
      }
    }
  }

  @Test
  void changes_start_at_the_merge_base_so_commits_only_on_base_do_not_count() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.write("a.txt", "a\n").commit("base");
      repo.branch("feature").write("b.txt", "b\n").commit("feature");
      repo.checkout("main").write("c.txt", "c\n").commit("main moves on");
      try (RepositoryView view = RepositoryView.open(dir)) {
        assertThat(view.changes("main", "feature").files())
            .extracting(ChangedFile::path)
            .containsExactly("b.txt");
      }
    }
  }

  @Test
  void file_at_ref_reads_historic_content_and_is_empty_for_missing_paths() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.write("docs/x.md", "old\n").commit("one");
      repo.write("docs/x.md", "new\n").commit("two");
      try (RepositoryView view = RepositoryView.open(dir)) {
        assertThat(view.file("HEAD~1", "docs/x.md")).map(String::new).contains("old\n");
        assertThat(view.file("HEAD", "docs/x.md")).map(String::new).contains("new\n");
        assertThat(view.file("HEAD", "docs/nope.md")).isEmpty();
        assertThat(view.file("HEAD", "docs")).isEmpty();
      }
    }
  }

  @Test
  void branch_head_commits_and_tags_are_read() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      String first = repo.write("a.txt", "a\n").commit("first");
      repo.tag("v1.0.0", true);
      repo.branch("bf/BF-274-x");
      repo.write("a.txt", "b\n").commit("BF-274: second\n\nbody");
      String third = repo.write("a.txt", "c\n").commit("third");
      repo.tag("v1.1.0", false);
      try (RepositoryView view = RepositoryView.open(dir.resolve("."))) {
        assertThat(view.branch()).contains("bf/BF-274-x");
        assertThat(view.branchOf("HEAD")).contains("bf/BF-274-x");
        assertThat(view.branchOf("main")).contains("main");
        assertThat(view.branchOf("v1.0.0")).isEmpty();
        assertThat(view.head().id()).isEqualTo(third);
        assertThat(view.head().abbreviated()).hasSize(7);
        assertThat(view.commitsBetween("main", "HEAD"))
            .extracting(CommitInfo::shortMessage)
            .containsExactly("third", "BF-274: second");
        assertThat(view.commitsBetween("main", "HEAD").get(1).message())
            .isEqualTo("BF-274: second\n\nbody");
        assertThat(view.tags())
            .containsExactly(new TagInfo("v1.0.0", first), new TagInfo("v1.1.0", third));
        assertThat(view.workTree()).isEqualTo(dir.toAbsolutePath().normalize());
      }
    }
  }

  @Test
  void view_opens_from_a_subfolder_of_the_work_tree() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.write("sub/a.txt", "a\n").commit("one");
      try (RepositoryView view = RepositoryView.open(dir.resolve("sub"))) {
        assertThat(view.workTree()).isEqualTo(dir.toAbsolutePath().normalize());
      }
    }
  }

  @Test
  void unknown_ref_is_bad_input_with_did_you_mean() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.write("a.txt", "a\n").commit("one");
      try (RepositoryView view = RepositoryView.open(dir)) {
        assertThatThrownBy(() -> view.changes("mian", "HEAD"))
            .isInstanceOf(TollgateException.class)
            .hasMessage("unknown Git ref 'mian'; did you mean `main`?")
            .extracting(e -> ((TollgateException) e).kind())
            .isEqualTo(TollgateException.Kind.BAD_INPUT);
        assertThat(view.exists("nope")).isFalse();
        assertThat(view.exists("main")).isTrue();
        assertThatThrownBy(() -> view.commit("HEAD:a.txt"))
            .hasMessageStartingWith("unknown Git ref 'HEAD:a.txt'");
      }
    }
  }

  @Test
  void a_repository_without_commits_has_no_head() throws Exception {
    try (TestRepo repo = TestRepo.init(dir);
        RepositoryView view = RepositoryView.open(dir)) {
      assertThat(view.branch()).isEqualTo(Optional.of("main"));
      assertThatThrownBy(view::head)
          .hasMessage("unknown Git ref 'HEAD' (the repository has no branches or tags yet)");
    }
  }

  @Test
  void a_folder_outside_any_repository_is_bad_input() throws Exception {
    Path plain = Files.createDirectories(dir.resolve("plain"));
    assertThatThrownBy(() -> RepositoryView.open(plain))
        .isInstanceOf(TollgateException.class)
        .hasMessageContaining("is not inside a Git repository");
    assertThatThrownBy(() -> RepositoryView.open(dir.resolve("missing")))
        .hasMessageEndingWith("missing: no such folder");
  }
}
