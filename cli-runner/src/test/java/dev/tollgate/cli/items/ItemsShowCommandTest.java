package dev.tollgate.cli.items;

import static dev.tollgate.cli.items.ItemsFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.cli.items.ItemsFixture.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemsShowCommandTest {
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

  private JsonNode show(String id, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("items", "show", id, "--dir", project.dir(), "--format", "json"));
    args.addAll(List.of(extra));
    Run r = run(args.toArray(String[]::new));
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    return r.json();
  }

  private static List<String> signals(JsonNode detail) {
    List<String> out = new ArrayList<>();
    detail.get("queueTruth").get("drift").forEach(d -> out.add(d.get("signal").asText()));
    return out;
  }

  @Test
  void json_has_execution_lifecycle_queue_truth_prompt_and_actions() {
    JsonNode d = show("wi-1", "--actor", "alice");
    String root = project.dir().replace('\\', '/');
    assertThat(d.get("id").asText()).isEqualTo("wi-1");
    assertThat(d.get("title").asText()).isEqualTo("Fix rounding in invoices");
    assertThat(d.get("epic").get("id").asText()).isEqualTo("BF");
    assertThat(d.get("epic").get("title").asText()).isEqualTo("Billing fixes");
    assertThat(d.get("file").asText()).isEqualTo(root + "/work-items/wi-1.yml");

    JsonNode execution = d.get("execution");
    assertThat(execution.get("id").asText()).isEqualTo("wi-1");
    assertThat(execution.get("branch").asText()).isEqualTo("bf/BF-1-rounding");
    assertThat(execution.get("validation").asText()).isEqualTo("./mvnw -q verify");
    assertThat(execution.get("pr").isNull()).isTrue();

    JsonNode lifecycle = d.get("lifecycle");
    assertThat(lifecycle.get("lane").asText()).isEqualTo("ready");
    assertThat(lifecycle.get("laneTitle").asText()).isEqualTo("Ready");
    assertThat(lifecycle.get("workType").asText()).isEqualTo("bug");
    assertThat(lifecycle.get("source").asText()).isEqualTo("incident INC-9");
    assertThat(lifecycle.get("status").asText()).isEqualTo("open");
    assertThat(lifecycle.get("state").isNull()).isTrue();
    assertThat(lifecycle.get("doneCriteriaCount").asInt()).isEqualTo(2);

    JsonNode freshness = d.get("queueTruth").get("freshness");
    assertThat(freshness.get("snapshotAt").asText()).isEqualTo("2026-03-14T09:30:00Z");
    assertThat(freshness.get("observedAt").asText()).isEqualTo("2026-03-14T12:00:00Z");
    assertThat(freshness.get("ageSeconds").asLong()).isEqualTo(9000);
    assertThat(freshness.get("age").asText()).isEqualTo("2h 30m");
    assertThat(d.get("queueTruth").get("inSync").asBoolean()).isTrue();
    assertThat(d.get("queueTruth").get("drift").size()).isZero();

    JsonNode prompt = d.get("prompt");
    assertThat(prompt.get("path").asText()).isEqualTo("work-items/prompts/wi-1.prompt.md");
    assertThat(prompt.get("insideProject").asBoolean()).isTrue();
    assertThat(prompt.get("exists").asBoolean()).isTrue();
    assertThat(prompt.get("readable").asBoolean()).isTrue();
    assertThat(prompt.get("sizeBytes").asLong())
        .isEqualTo(project.bytes("work-items/prompts/wi-1.prompt.md").length);
    assertThat(prompt.get("firstHeading").asText()).isEqualTo("Fix rounding in invoices");

    assertThat(d.get("actor").asText()).isEqualTo("alice");
    JsonNode start = d.get("actions").get(0);
    assertThat(start.get("identity").asText()).isEqualTo("start-execution");
    assertThat(start.get("enabled").asBoolean()).isTrue();
    assertThat(start.get("transition").asText()).isEqualTo("ready → in-progress");
    assertThat(start.get("recovery").isNull()).isTrue();
    assertThat(d.get("history").size()).isZero();
  }

  @Test
  void a_done_item_with_unfinished_blockers_and_no_pull_request_drifts() {
    JsonNode d = show("wi-3");
    assertThat(d.get("queueTruth").get("inSync").asBoolean()).isFalse();
    assertThat(signals(d)).containsExactly("done-with-open-blockers", "done-without-pr");
    JsonNode first = d.get("queueTruth").get("drift").get(0);
    assertThat(first.get("detail").asText())
        .isEqualTo(
            "wi-3 is done but still lists open blockers: blocked by wi-2, which is in-progress"
                + " in lane in-progress");
    assertThat(first.get("guidance").asText())
        .isEqualTo(
            "Check what was delivered: if the blockers no longer apply, remove them from"
                + " blockers in work-items/wi-3.yml; if delivery is incomplete, create a net-new"
                + " work item for the rest (done items stay closed)");
    JsonNode second = d.get("queueTruth").get("drift").get(1);
    assertThat(second.get("detail").asText()).isEqualTo("wi-3 is done but links no pull request");
    assertThat(d.get("blocked").asBoolean()).isTrue();
    assertThat(d.get("actor").isNull()).isTrue();
  }

  @Test
  void an_item_in_progress_without_a_branch_drifts() {
    JsonNode d = show("wi-2");
    assertThat(signals(d)).containsExactly("in-progress-without-branch");
    assertThat(d.get("queueTruth").get("drift").get(0).get("guidance").asText())
        .startsWith("Set branch: in work-items/wi-2.yml to the Git branch");
  }

  @Test
  void lane_and_status_that_disagree_drift() {
    project.file(
        "work-items/wi-6.yml",
        "id: wi-6\ntitle: Closed early\nlane: done\nstatus: in-progress\nbranch: x\n");
    project.file(
        "work-items/wi-7.yml",
        "id: wi-7\ntitle: Done in review\nlane: review\nstatus: done\n"
            + "pr: https://example.com/pr/7\n");
    assertThat(signals(show("wi-6"))).containsExactly("terminal-lane-not-done");
    assertThat(signals(show("wi-7"))).containsExactly("done-outside-terminal-lane");
  }

  @Test
  void a_missing_prompt_is_reported_not_fatal() {
    JsonNode prompt = show("wi-5").get("prompt");
    assertThat(prompt.get("path").asText()).isEqualTo("work-items/prompts/wi-5.prompt.md");
    assertThat(prompt.get("exists").asBoolean()).isFalse();
    assertThat(prompt.get("sizeBytes").isNull()).isTrue();
    assertThat(prompt.get("firstHeading").isNull()).isTrue();
  }

  @Test
  void a_prompt_reached_through_a_symlink_outside_the_project_is_not_read(@TempDir Path outside)
      throws Exception {
    // A '..' path is refused when the items load; a symbolic link is only seen on disk.
    java.nio.file.Files.writeString(outside.resolve("secret.md"), "# Secret heading\n");
    try {
      java.nio.file.Files.createSymbolicLink(project.root.resolve("elsewhere"), outside);
    } catch (UnsupportedOperationException | java.io.IOException e) {
      org.junit.jupiter.api.Assumptions.abort("symbolic links are not available here: " + e);
    }
    project.file(
        "work-items/wi-6.yml",
        "id: wi-6\ntitle: Sneaky\nlane: ready\nstatus: open\nprompt: elsewhere/secret.md\n");
    JsonNode prompt = show("wi-6").get("prompt");
    assertThat(prompt.get("insideProject").asBoolean()).isFalse();
    assertThat(prompt.get("exists").asBoolean()).isFalse();
    assertThat(prompt.get("firstHeading").isNull()).isTrue();
  }

  @Test
  void freshness_is_zero_when_the_file_is_newer_than_the_clock() {
    ItemsFixture.setClock(
        java.time.Clock.fixed(ItemsFixture.SNAPSHOT.minusSeconds(60), java.time.ZoneOffset.UTC));
    JsonNode freshness = show("wi-1").get("queueTruth").get("freshness");
    assertThat(freshness.get("ageSeconds").asLong()).isZero();
    assertThat(freshness.get("age").asText()).isEqualTo("0s");
  }

  @Test
  void text_is_a_readable_summary_of_the_same_payload() {
    Run r = run("items", "show", "wi-3", "--dir", project.dir(), "--actor", "alice");
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    String root = project.dir().replace('\\', '/');
    assertThat(r.out())
        .isEqualTo(
            "wi-3  Show tax per line\n"
                + "epic BF (Billing fixes) · owner alice\n"
                + "\n"
                + "Execution\n"
                + "  branch         bf/BF-3-tax\n"
                + "  validation     -\n"
                + "  pr             -\n"
                + "\n"
                + "Lifecycle\n"
                + "  lane           done (Done)\n"
                + "  status         done\n"
                + "  state          -\n"
                + "  work type      -\n"
                + "  source         -\n"
                + "  done criteria  0\n"
                + "  blockers       1\n"
                + "    - blocked by wi-2, which is in-progress in lane in-progress\n"
                + "\n"
                + "Queue truth\n"
                + "  snapshot       "
                + root
                + "/work-items/wi-3.yml, changed 2026-03-14T09:30:00Z (2h 30m ago)\n"
                + "  freshness      unknown: no Git history holds the file, so its time is the file's"
                + " modification time, which a copy or checkout resets\n"
                + "  drift          2 signal(s) disagree\n"
                + "    - done-with-open-blockers: wi-3 is done but still lists open blockers:"
                + " blocked by wi-2, which is in-progress in lane in-progress\n"
                + "      reconcile: Check what was delivered: if the blockers no longer apply,"
                + " remove them from blockers in work-items/wi-3.yml; if delivery is incomplete,"
                + " create a net-new work item for the rest (done items stay closed)\n"
                + "    - done-without-pr: wi-3 is done but links no pull request\n"
                + "      reconcile: Set pr: in work-items/wi-3.yml to the URL of the pull request"
                + " that delivered it, or record why it shipped without one with the"
                + " record-history action\n"
                + "\n"
                + "Prompt context\n"
                + "  file           "
                + root
                + "/work-items/prompts/wi-3.prompt.md (missing)\n"
                + "\n"
                + "Actions for alice\n"
                + "  blocked  start-execution  Start execution (done → in-progress):"
                + " lane-transition: wi-3 is in the terminal lane done\n"
                + "  blocked  request-review  Request review (done → review):"
                + " lane-transition: wi-3 is in the terminal lane done\n"
                + "  blocked  prepare-release  Prepare release (done → release):"
                + " lane-transition: wi-3 is in the terminal lane done\n"
                + "  blocked  record-history  Record history: permission: alice does not hold"
                + " factory.work-item.record-history\n");
  }

  @Test
  void unknown_id_is_bad_input_with_suggestion() {
    Run r = run("items", "show", "wi-9", "--dir", project.dir());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "no work item 'wi-9'; did you mean `wi-1`?\n"
                + "Try 'tollgate items show --help' for more information.\n");
  }

  @Test
  void missing_id_is_bad_input() {
    Run r = run("items", "show", "--dir", project.dir());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "Missing required parameter: 'ID'\n"
                + "Try 'tollgate items show --help' for more information.\n");
  }
}
