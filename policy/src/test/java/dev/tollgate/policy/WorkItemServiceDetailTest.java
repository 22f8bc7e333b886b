package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.workitem.Freshness;
import dev.tollgate.core.workitem.ItemSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WorkItemService#detail}: the item detail every front end shows, without picocli. */
class WorkItemServiceDetailTest {
  static final Instant NOW = Instant.parse("2026-03-14T12:00:00Z");
  static final Instant COMMITTED = Instant.parse("2026-03-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path root;
  Project project;

  @BeforeEach
  void setUp() {
    project =
        new Project(root)
            .policy(Project.POLICY)
            .item("wi-1", "ready", "open", "epic: BF", "owner: alice", "branch: bf/1")
            .item("wi-2", "in-progress", "in-progress")
            .item("wi-3", "done", "done", "blockers:", "  - wi-2", "  - vendor contract")
            .prompt("wi-1");
  }

  private WorkItemService service() {
    return WorkItemService.of(PolicyEngine.load(root, CLOCK), CLOCK);
  }

  private void dateFiles(Instant at) throws Exception {
    try (var files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(f, FileTime.from(at));
      }
    }
  }

  @Test
  void detail_holds_the_item_its_epic_lane_blockers_drift_prompt_and_actions() {
    ItemDetail d = service().detail("wi-1", "alice");
    assertThat(d.item().id()).isEqualTo("wi-1");
    assertThat(d.epic()).map(e -> e.title()).contains("Billing fixes");
    assertThat(d.laneTitle()).isEqualTo("Ready");
    assertThat(d.file()).isEqualTo("work-items/wi-1.yml");
    assertThat(d.queueTruth().inSync()).isTrue();
    assertThat(d.prompt().access()).isEqualTo(ItemDetail.PromptContext.Access.READABLE);
    assertThat(d.prompt().firstHeading()).contains("Context for wi-1");
    assertThat(d.actor()).contains("alice");
    assertThat(d.actions()).extracting(ActionView::identity).startsWith("start-execution");
    assertThat(d.actions().get(0).enabled()).isTrue();

    ItemDetail done = service().detail("wi-3", " ");
    assertThat(done.actor()).isEmpty();
    assertThat(done.blocked()).isTrue();
    assertThat(done.queueTruth().drift())
        .extracting(ItemDetail.Drift::signal)
        .containsExactly("done-with-open-blockers", "done-without-pr");
    assertThat(done.prompt().access()).isEqualTo(ItemDetail.PromptContext.Access.MISSING);
    assertThat(done.prompt().exists()).isFalse();
    assertThat(done.prompt().insideProject()).isTrue();
  }

  @Test
  void any_object_mapper_serialises_the_detail_to_the_items_show_payload() throws Exception {
    dateFiles(Instant.parse("2026-03-14T09:30:00Z"));
    ItemDetail d = service().detail("wi-1", "alice");
    ObjectMapper plain = new ObjectMapper();
    JsonNode json = plain.valueToTree(d);
    assertThat(json).isEqualTo(WorkItemJson.detail(d));
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      keys.add(it.next());
    }
    assertThat(keys)
        .containsExactly(
            "id",
            "title",
            "description",
            "epic",
            "priority",
            "owner",
            "due",
            "file",
            "execution",
            "lifecycle",
            "blocked",
            "blockers",
            "queueTruth",
            "prompt",
            "actor",
            "actions",
            "history");
    JsonNode fresh = json.get("queueTruth").get("freshness");
    assertThat(fresh.get("snapshotAt").asText()).isEqualTo("2026-03-14T09:30:00Z");
    assertThat(fresh.get("observedAt").asText()).isEqualTo("2026-03-14T12:00:00Z");
    assertThat(fresh.get("ageSeconds").asLong()).isEqualTo(9000);
    assertThat(fresh.get("age").asText()).isEqualTo("2h 30m");
    assertThat(fresh.get("verdict").asText()).isEqualTo("unknown");
    assertThat(fresh.get("basis").asText()).isEqualTo("file-modified-time");
    assertThat(fresh.get("commit").isNull()).isTrue();
    assertThat(fresh.get("staleAfterSeconds").asLong()).isEqualTo(7 * 86400);
    assertThat(plain.writeValueAsString(d.withFile("shop/work-items/wi-1.yml")))
        .contains("\"file\":\"shop/work-items/wi-1.yml\"");
  }

  @Test
  void in_a_git_checkout_freshness_comes_from_the_last_commit_not_the_file_time() throws Exception {
    try (Git git = Git.init().setDirectory(root.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      PersonIdent who = new PersonIdent("Tess", "t@example.com", COMMITTED, ZoneOffset.UTC);
      String id =
          git.commit()
              .setMessage("board")
              .setAuthor(who)
              .setCommitter(who)
              .setSign(false)
              .call()
              .getName();
      dateFiles(NOW.minusSeconds(5)); // a fresh checkout: every file looks just written

      Freshness week = service().detail("wi-1", null).queueTruth().freshness().orElseThrow();
      assertThat(week.snapshot()).isEqualTo(ItemSnapshot.commit(COMMITTED, id));
      assertThat(week.age()).isEqualTo(Duration.ofDays(13).plusHours(12));
      assertThat(week.verdict()).isEqualTo(Freshness.Verdict.STALE);

      WorkItemService lenient =
          WorkItemService.builder(PolicyEngine.load(root, CLOCK), CLOCK)
              .staleAfter(Duration.ofDays(30))
              .build();
      Freshness month = lenient.detail("wi-1", null).queueTruth().freshness().orElseThrow();
      assertThat(month.verdict()).isEqualTo(Freshness.Verdict.FRESH);
      assertThat(WorkItemJson.freshness(month).get("commit").asText()).isEqualTo(id);
    }
  }

  @Test
  void a_copy_without_git_has_no_verdict_however_recent_its_files() throws Exception {
    dateFiles(NOW.minusSeconds(5));
    Freshness f = service().detail("wi-1", null).queueTruth().freshness().orElseThrow();
    assertThat(f.snapshot().basis()).isEqualTo(ItemSnapshot.Basis.FILE_MODIFIED_TIME);
    assertThat(f.verdict()).isEqualTo(Freshness.Verdict.UNKNOWN);
  }

  @Test
  void an_unknown_item_is_bad_input_with_a_suggestion_and_a_bad_threshold_is_refused() {
    assertThatThrownBy(() -> service().detail("wi-9", null))
        .isInstanceOf(TollgateException.class)
        .hasMessage("no work item 'wi-9'; did you mean `wi-1`?");
    assertThatThrownBy(
            () -> WorkItemService.builder(PolicyEngine.load(root, CLOCK), CLOCK).staleAfter(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(
            () ->
                WorkItemService.builder(PolicyEngine.load(root, CLOCK), CLOCK)
                    .staleAfter(Duration.ZERO))
        .hasMessage("the freshness threshold must be positive but was 0s");
  }
}
