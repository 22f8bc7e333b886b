package dev.tollgate.cli.items;

import static dev.tollgate.cli.items.ItemsFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.cli.items.ItemsFixture.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drift signal read from Git: a done item whose branch still has unmerged commits. */
class ItemsShowGitDriftTest {
  @TempDir Path dir;
  ItemsFixture project;
  Git git;

  @BeforeEach
  void setUp() throws Exception {
    ItemsFixture.fixClock();
    project = ItemsFixture.standard(dir);
    git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    commit("board");
  }

  @AfterEach
  void tearDown() {
    git.close();
    ItemsFixture.resetClock();
  }

  private void commit(String message) throws Exception {
    git.add().addFilepattern(".").call();
    PersonIdent who =
        new PersonIdent(
            "Tess", "t@example.com", Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);
    git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
  }

  private List<String> signals() {
    Run r = run("items", "show", "wi-3", "--dir", project.dir(), "--format", "json");
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    List<String> out = new ArrayList<>();
    for (JsonNode d : r.json().get("queueTruth").get("drift")) {
      out.add(d.get("signal").asText() + ": " + d.get("detail").asText());
    }
    return out;
  }

  @Test
  void done_item_whose_branch_has_a_commit_not_on_main_reports_drift() throws Exception {
    git.checkout().setCreateBranch(true).setName("bf/BF-3-tax").call();
    Files.writeString(dir.resolve("Tax.java"), "class Tax {}\n");
    commit("tax per line, not merged");
    git.checkout().setName("main").call();

    assertThat(signals())
        .contains(
            "done-with-unmerged-commits: wi-3 is done but its branch bf/BF-3-tax has 1 commit not"
                + " in main");
  }

  @Test
  void done_item_whose_branch_is_merged_or_gone_reports_no_git_drift() throws Exception {
    assertThat(signals()).noneMatch(s -> s.startsWith("done-with-unmerged-commits"));
    git.branchCreate().setName("bf/BF-3-tax").call(); // at main: nothing unmerged
    assertThat(signals()).noneMatch(s -> s.startsWith("done-with-unmerged-commits"));
  }
}
