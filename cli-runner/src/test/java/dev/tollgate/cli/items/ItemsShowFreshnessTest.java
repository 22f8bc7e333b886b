package dev.tollgate.cli.items;

import static dev.tollgate.cli.items.ItemsFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.cli.common.ProjectPaths;
import dev.tollgate.cli.items.ItemsFixture.Run;
import dev.tollgate.policy.ItemDetail;
import dev.tollgate.policy.PolicyEngine;
import dev.tollgate.policy.WorkItemService;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The freshness verdict of {@code items show}, and its JSON being the library's. */
class ItemsShowFreshnessTest {
  @TempDir Path dir;
  ItemsFixture project;

  @BeforeEach
  void setUp() {
    ItemsFixture.fixClock();
    project = ItemsFixture.standard(dir);
  }

  @AfterEach
  void tearDown() {
    ItemsFixture.resetClock();
  }

  private String commitAll(Instant at) throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      PersonIdent who = new PersonIdent("Tess", "t@example.com", at, ZoneOffset.UTC);
      return git.commit()
          .setMessage("board")
          .setAuthor(who)
          .setCommitter(who)
          .setSign(false)
          .call()
          .getName();
    }
  }

  private static String line(String out, String field) {
    return out.lines().filter(l -> l.startsWith("  " + field + " ")).findFirst().orElseThrow();
  }

  @Test
  void json_is_what_any_object_mapper_makes_of_the_librarys_detail() throws Exception {
    Run r = run("items", "show", "wi-3", "--dir", project.dir(), "--format", "json");
    assertThat(r.exit()).isZero();
    WorkItemService service =
        WorkItemService.of(PolicyEngine.load(dir, ItemsFixture.clock()), ItemsFixture.clock());
    ItemDetail detail = service.detail("wi-3", null);
    detail = detail.withFile(ProjectPaths.prefix(project.dir()) + detail.file());
    JsonNode library = new ObjectMapper().valueToTree(detail);
    assertThat(r.out()).isEqualTo(ItemsJson.write(library));
  }

  @Test
  void in_a_git_checkout_the_verdict_comes_from_the_last_commit_changing_the_file()
      throws Exception {
    String commit = commitAll(Instant.parse("2026-03-01T00:00:00Z"));
    Run r = run("items", "show", "wi-1", "--dir", project.dir());
    assertThat(r.exit()).isZero();
    assertThat(line(r.out(), "snapshot"))
        .endsWith("/work-items/wi-1.yml, changed 2026-03-01T00:00:00Z (13d 12h ago)");
    assertThat(line(r.out(), "freshness"))
        .isEqualTo(
            "  freshness      stale: the last commit changing the file, "
                + commit.substring(0, 7)
                + ", is older than 7d");

    Run json =
        run(
            "items",
            "show",
            "wi-1",
            "--dir",
            project.dir(),
            "--stale-after",
            "14d",
            "--format",
            "json");
    JsonNode fresh = json.json().get("queueTruth").get("freshness");
    assertThat(fresh.get("verdict").asText()).isEqualTo("fresh");
    assertThat(fresh.get("basis").asText()).isEqualTo("commit");
    assertThat(fresh.get("commit").asText()).isEqualTo(commit);
    assertThat(fresh.get("staleAfterSeconds").asLong()).isEqualTo(14 * 86400);
  }

  @Test
  void without_git_the_file_time_is_shown_but_gives_no_verdict() {
    Run r = run("items", "show", "wi-1", "--dir", project.dir(), "--format", "json");
    JsonNode fresh = r.json().get("queueTruth").get("freshness");
    assertThat(fresh.get("snapshotAt").asText()).isEqualTo("2026-03-14T09:30:00Z");
    assertThat(fresh.get("verdict").asText()).isEqualTo("unknown");
    assertThat(fresh.get("basis").asText()).isEqualTo("file-modified-time");
    assertThat(fresh.get("commit").isNull()).isTrue();
  }

  @Test
  void a_threshold_that_is_not_a_positive_duration_is_bad_input() {
    Run r = run("items", "show", "wi-1", "--dir", project.dir(), "--stale-after", "a week");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "--stale-after must be a duration such as 7d, 36h or 90m but was 'a week'\n"
                + "Try 'tollgate items show --help' for more information.\n");
    Run zero = run("items", "show", "wi-1", "--dir", project.dir(), "--stale-after", "0d");
    assertThat(zero.exit()).isEqualTo(2);
    assertThat(zero.err()).startsWith("--stale-after must be longer than zero but was '0d'\n");
    Run mixed =
        run(
            "items",
            "show",
            "wi-1",
            "--dir",
            project.dir(),
            "--stale-after",
            "1d12h",
            "--format",
            "json");
    assertThat(mixed.json().get("queueTruth").get("freshness").get("staleAfterSeconds").asLong())
        .isEqualTo(36 * 3600);
  }
}
