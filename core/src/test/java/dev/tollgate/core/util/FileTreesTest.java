package dev.tollgate.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir Path tmp;

  private Path tree() throws IOException {
    Path root = tmp.resolve("root");
    Files.createDirectories(root.resolve("a/b"));
    Files.writeString(root.resolve("a/b/file.txt"), "x");
    Files.writeString(root.resolve("top.txt"), "y");
    return root;
  }

  @Test
  void deletes_a_folder_with_everything_in_it() throws IOException {
    Path root = tree();
    FileTrees.delete(root);
    assertThat(root).doesNotExist();
    assertThat(tmp).exists();
  }

  @Test
  void a_missing_folder_is_nothing_to_do() throws IOException {
    FileTrees.delete(tmp.resolve("missing"));
    assertThat(FileTrees.deleteQuietly(tmp.resolve("missing"))).isTrue();
  }

  @Test
  void removes_a_link_without_following_it() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "keep");
    Path root = tree();
    Files.createSymbolicLink(root.resolve("link"), outside);
    FileTrees.delete(root);
    assertThat(root).doesNotExist();
    assertThat(outside.resolve("keep.txt")).hasContent("keep");
  }

  @Test
  void delete_quietly_says_whether_the_folder_is_gone() throws IOException {
    assertThat(FileTrees.deleteQuietly(tree())).isTrue();
    assertThat(tmp.resolve("root")).doesNotExist();
  }
}
