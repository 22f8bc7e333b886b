package dev.tollgate.core.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.BundleWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cloning a Git bundle into a work tree that the repository view then reads like any other. */
class BundleCloneTest {
  @TempDir Path dir;
  Path bundle;

  @BeforeEach
  void writeBundleWithMainAndAFeatureBranch() throws Exception {
    try (TestRepo repo = TestRepo.init(dir.resolve("origin"))) {
      repo.write("README.md", "# Shop\n").commit("base");
      repo.branch("sf/SF-1-cart").write("src/Cart.java", "class Cart {}\n").commit("cart");
      bundle = dir.resolve("shop.bundle");
      Repository r = repo.git.getRepository();
      BundleWriter writer = new BundleWriter(r);
      writer.include(r.exactRef("refs/heads/main"));
      writer.include(r.exactRef("refs/heads/sf/SF-1-cart"));
      try (OutputStream out = Files.newOutputStream(bundle)) {
        writer.writeBundle(NullProgressMonitor.INSTANCE, out);
      }
    }
  }

  @Test
  void clones_every_branch_and_checks_out_the_requested_head() {
    Path into = dir.resolve("clone");
    RepositoryView.cloneBundle(bundle, "sf/SF-1-cart", into);
    assertThat(into.resolve("src/Cart.java")).hasContent("class Cart {}");
    try (RepositoryView view = RepositoryView.open(into)) {
      assertThat(view.branch()).contains("sf/SF-1-cart");
      ChangeSet changes = view.changes("main", "sf/SF-1-cart");
      assertThat(changes.files()).extracting(f -> f.path()).containsExactly("src/Cart.java");
      assertThat(view.file("main", "README.md"))
          .hasValueSatisfying(
              b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("# Shop\n"));
    }
  }

  @Test
  void unknown_branch_is_bad_input_with_a_suggestion_and_the_branch_list() {
    assertThatThrownBy(() -> RepositoryView.cloneBundle(bundle, "sf/SF-1-crat", dir.resolve("c")))
        .isInstanceOf(TollgateException.class)
        .hasMessage(
            bundle
                + " has no branch 'sf/SF-1-crat'; did you mean `sf/SF-1-cart`? (branches: main,"
                + " sf/SF-1-cart)");
  }

  @Test
  void bundle_without_head_needs_an_explicit_branch() {
    assertThatThrownBy(() -> RepositoryView.cloneBundle(bundle, "HEAD", dir.resolve("c")))
        .isInstanceOf(TollgateException.class)
        .hasMessageContaining("has no HEAD; name the branch to gate with --head");
  }

  @Test
  void a_file_that_is_not_a_bundle_is_bad_input() throws Exception {
    Path notBundle = Files.writeString(dir.resolve("x.bundle"), "not a bundle\n");
    assertThatThrownBy(() -> RepositoryView.cloneBundle(notBundle, "main", dir.resolve("c")))
        .isInstanceOf(TollgateException.class)
        .hasMessageContaining("is not a readable Git bundle")
        .satisfies(
            e ->
                assertThat(((TollgateException) e).kind())
                    .isEqualTo(TollgateException.Kind.BAD_INPUT));
  }
}
