package dev.tollgate.cli.items;

import static dev.tollgate.cli.items.ItemsFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.cli.items.ItemsFixture.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemsDoCommandTest {
  @TempDir Path dir;
  ItemsFixture project;
  String root;

  @BeforeEach
  void setUp() {
    ItemsFixture.fixClock();
    project = ItemsFixture.standard(dir);
    root = project.dir().replace('\\', '/');
  }

  @AfterEach
  void tearDown() {
    ItemsFixture.resetClock();
  }

  @Test
  void performing_an_action_moves_the_item_and_appends_history() {
    Run r = run("items", "do", "wi-1", "start-execution", "--actor", "alice", "--dir", root);
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "wi-1: Start execution performed by alice\n"
                + "  lane     ready → in-progress\n"
                + "  status   open → in-progress\n"
                + "  history  + 2026-03-14T12:00:00Z alice start-execution ready → in-progress\n"
                + "Wrote "
                + root
                + "/work-items/wi-1.yml\n");
    String file = project.text("work-items/wi-1.yml");
    assertThat(file).contains("\nlane: in-progress\n").contains("\nstatus: in-progress\n");
    assertThat(file)
        .endsWith(
            "history:\n"
                + "  - at: \"2026-03-14T12:00:00Z\"\n"
                + "    actor: alice\n"
                + "    action: start-execution\n"
                + "    from: ready\n"
                + "    to: in-progress\n");
    // The next read sees the move: the item now offers no second start.
    JsonNode list =
        run("items", "list", "--dir", root, "--lane", "in-progress", "--format", "json").json();
    assertThat(list.size()).isEqualTo(2);
  }

  @Test
  void json_reports_the_changes_and_the_history_entry() {
    Run r =
        run(
            "items",
            "do",
            "wi-1",
            "start-execution",
            "--actor",
            "alice",
            "--dir",
            root,
            "--format",
            "json");
    assertThat(r.exit()).isZero();
    JsonNode o = r.json();
    assertThat(o.get("item").asText()).isEqualTo("wi-1");
    assertThat(o.get("action").asText()).isEqualTo("start-execution");
    assertThat(o.get("actor").asText()).isEqualTo("alice");
    assertThat(o.get("performed").asBoolean()).isTrue();
    assertThat(o.get("file").asText()).isEqualTo(root + "/work-items/wi-1.yml");
    JsonNode changes = o.get("changes");
    assertThat(changes.size()).isEqualTo(2);
    assertThat(changes.get(0).get("field").asText()).isEqualTo("lane");
    assertThat(changes.get(0).get("from").asText()).isEqualTo("ready");
    assertThat(changes.get(0).get("to").asText()).isEqualTo("in-progress");
    assertThat(changes.get(1).get("field").asText()).isEqualTo("status");
    assertThat(changes.get(1).get("to").asText()).isEqualTo("in-progress");
    JsonNode h = o.get("history");
    assertThat(h.get("at").asText()).isEqualTo("2026-03-14T12:00:00Z");
    assertThat(h.get("actor").asText()).isEqualTo("alice");
    assertThat(h.get("from").asText()).isEqualTo("ready");
    assertThat(h.get("to").asText()).isEqualTo("in-progress");
    assertThat(h.get("note").isNull()).isTrue();
    assertThat(o.get("recovery").isNull()).isTrue();
  }

  @Test
  void starting_execution_of_a_done_item_is_blocked_and_leaves_the_file_untouched() {
    project.file("work-items/prompts/wi-3.prompt.md", "# Tax per line\n");
    byte[] before = project.bytes("work-items/wi-3.yml");
    Run r = run("items", "do", "wi-3", "start-execution", "--actor", "alice", "--dir", root);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(
            "wi-3: Start execution is blocked by 1 of 5 gates\n"
                + "  blocked lane-transition: wi-3 is in the terminal lane done\n"
                + "    cause: Done items stay closed; Start execution cannot move them backward\n"
                + "    policy: lanes.done.terminal: true in .tollgate/policy.yml\n"
                + "    next step: Create a net-new work item if more delivery is needed instead"
                + " of reopening this one\n"
                + "    safe retry: Do not retry Start execution on a done item\n"
                + "  pass lane-eligibility: Start execution accepts items from any lane\n"
                + "  pass wip-limit: lane in-progress holds 1 of 2 items\n"
                + "  pass permission: alice holds factory.work-item.execute (team platform)\n"
                + "  pass context-visibility: context file work-items/prompts/wi-3.prompt.md is"
                + " readable\n"
                + "Nothing was changed.\n");
    assertThat(project.bytes("work-items/wi-3.yml")).isEqualTo(before);
  }

  @Test
  void a_full_lane_blocks_with_guidance_in_json_and_writes_nothing() {
    project.file("work-items/prompts/wi-5.prompt.md", "# Tidy\n");
    assertThat(
            run("items", "do", "wi-1", "start-execution", "--actor", "bob", "--dir", root).exit())
        .isZero();
    byte[] before = project.bytes("work-items/wi-5.yml");
    Run r =
        run(
            "items",
            "do",
            "wi-5",
            "start-execution",
            "--actor",
            "bob",
            "--dir",
            root,
            "--format",
            "json");
    assertThat(r.exit()).isEqualTo(1);
    JsonNode o = r.json();
    assertThat(o.get("performed").asBoolean()).isFalse();
    assertThat(o.get("changes").size()).isZero();
    assertThat(o.get("history").isNull()).isTrue();
    JsonNode wip = o.get("gates").get(2);
    assertThat(wip.get("gate").asText()).isEqualTo("wip-limit");
    assertThat(wip.get("status").asText()).isEqualTo("blocked");
    assertThat(wip.get("reason").asText())
        .isEqualTo("lane in-progress is full: 2 of 2 (wi-1, wi-2)");
    assertThat(o.get("recovery").get("nextStep").asText())
        .isEqualTo("Finish or move one of wi-1, wi-2 out of in-progress first");
    assertThat(project.bytes("work-items/wi-5.yml")).isEqualTo(before);
  }

  @Test
  void unknown_action_is_bad_input_with_suggestion() {
    Run r = run("items", "do", "wi-1", "start-executon", "--actor", "alice", "--dir", root);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "no action 'start-executon'; did you mean `start-execution`? (actions:"
                + " start-execution, request-review, prepare-release, record-history)\n"
                + "Try 'tollgate items do --help' for more information.\n");
  }

  @Test
  void unknown_item_is_bad_input() {
    Run r = run("items", "do", "wi-99", "start-execution", "--actor", "alice", "--dir", root);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "no work item 'wi-99'; did you mean `wi-1`?\n"
                + "Try 'tollgate items do --help' for more information.\n");
  }

  @Test
  void the_actor_is_required() {
    Run r = run("items", "do", "wi-1", "start-execution", "--dir", root);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "Missing required option: '--actor=NAME'\n"
                + "Try 'tollgate items do --help' for more information.\n");
    Run blank = run("items", "do", "wi-1", "start-execution", "--actor", " ", "--dir", root);
    assertThat(blank.exit()).isEqualTo(2);
    assertThat(blank.err())
        .isEqualTo(
            "--actor must not be blank\nTry 'tollgate items do --help' for more information.\n");
  }

  @Test
  void an_invalid_item_file_is_bad_input_and_nothing_is_written() {
    project.file(
        "work-items/wi-6.yml", "id: wi-6\ntitle: Bad\nlane: ready\nstatus: open\nowner: [x]\n");
    byte[] before = project.bytes("work-items/wi-1.yml");
    Run r = run("items", "do", "wi-1", "start-execution", "--actor", "alice", "--dir", root);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith(root + "/work-items/wi-6.yml:5:8: ");
    assertThat(project.bytes("work-items/wi-1.yml")).isEqualTo(before);
  }
}
