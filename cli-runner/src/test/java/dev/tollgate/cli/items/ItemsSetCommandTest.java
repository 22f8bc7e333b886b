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

class ItemsSetCommandTest {
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

  private Run set(String... extra) {
    List<String> args = new ArrayList<>(List.of("items", "set"));
    args.addAll(List.of(extra));
    args.addAll(List.of("--dir", project.dir()));
    return run(args.toArray(String[]::new));
  }

  @Test
  void changes_planning_fields_and_prints_what_changed() {
    Run r =
        set(
            "wi-4",
            "--owner",
            "dana",
            "--priority",
            "5",
            "--due",
            "2026-05-01",
            "--remove-blocker",
            "vendor contract",
            "--add-blocker",
            "wi-1",
            "--actor",
            "alice");
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "wi-4: updated by alice\n"
                + "  priority - → 5\n"
                + "  owner    - → dana\n"
                + "  due      - → 2026-05-01\n"
                + "  blockers - vendor contract\n"
                + "  blockers + wi-1\n"
                + "  history  + 2026-03-14T12:00:00Z alice update\n"
                + "Wrote "
                + root
                + "/work-items/wi-4.yml\n");
    assertThat(project.text("work-items/wi-4.yml"))
        .isEqualTo(
            "id: wi-4\n"
                + "title: Alert on export lag\n"
                + "epic: OPS\n"
                + "lane: backlog\n"
                + "status: open\n"
                + "priority: 5\n"
                + "owner: dana\n"
                + "due: \"2026-05-01\"\n"
                + "blockers:\n"
                + "  - wi-2\n"
                + "  - wi-1\n"
                + "history:\n"
                + "  - at: \"2026-03-14T12:00:00Z\"\n"
                + "    actor: alice\n"
                + "    action: update\n"
                + "    note: \"priority - → 5; owner - → dana; due - → 2026-05-01; blockers -"
                + " vendor contract; blockers + wi-1\"\n");
    Run shown = run("items", "show", "wi-4", "--dir", project.dir());
    assertThat(shown.out())
        .contains(
            "History\n  2026-03-14T12:00:00Z  alice  update  priority - → 5; owner - → dana;");
  }

  @Test
  void clears_values_with_no_options_and_prints_the_librarys_json() {
    Run r =
        set("wi-1", "--no-epic", "--no-due", "--no-priority", "--actor", "bob", "--format", "json");
    assertThat(r.exit()).isZero();
    JsonNode o = r.json();
    assertThat(o.get("action").asText()).isEqualTo("update");
    assertThat(o.get("written").asBoolean()).isTrue();
    assertThat(o.get("file").asText()).isEqualTo(root + "/work-items/wi-1.yml");
    List<String> changes = new ArrayList<>();
    o.get("changes")
        .forEach(
            c ->
                changes.add(
                    c.get("field").asText() + " " + c.get("from").asText() + "→" + c.get("to")));
    assertThat(changes).containsExactly("epic BF→null", "priority 2→null", "due 2026-03-31→null");
    assertThat(project.text("work-items/wi-1.yml")).doesNotContain("epic:", "priority:", "due:");
  }

  @Test
  void values_the_item_already_has_change_nothing_and_write_nothing() {
    byte[] before = project.bytes("work-items/wi-1.yml");
    Run r = set("wi-1", "--owner", "alice", "--actor", "bob");
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo("wi-1: nothing to change; it already has these values\n");
    assertThat(project.bytes("work-items/wi-1.yml")).isEqualTo(before);
    Run json = set("wi-1", "--owner", "alice", "--actor", "bob", "--format", "json");
    assertThat(json.json().get("written").asBoolean()).isFalse();
    assertThat(json.json().get("history").isNull()).isTrue();
  }

  @Test
  void unknown_blockers_and_blockers_the_item_does_not_have_are_bad_input_with_positions() {
    byte[] before = project.bytes("work-items/wi-4.yml");
    Run r = set("wi-4", "--add-blocker", "wi-8", "--remove-blocker", "wi-3", "--actor", "bob");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            root
                + "/work-items/wi-4.yml: blockers names the work item 'wi-8', which does not"
                + " exist; did you mean `wi-1`?\n"
                + root
                + "/work-items/wi-4.yml:7:3: wi-4 has no blocker 'wi-3' (its blockers: wi-2,"
                + " vendor contract)\n"
                + "Try 'tollgate items set --help' for more information.\n");
    assertThat(project.bytes("work-items/wi-4.yml")).isEqualTo(before);
  }

  @Test
  void a_blocker_that_closes_a_cycle_is_bad_input() {
    Run r = set("wi-2", "--add-blocker", "wi-4", "--actor", "bob");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .startsWith(
            root
                + "/work-items/wi-2.yml: blocker 'wi-4' would close a cycle: wi-2 → wi-4 →"
                + " wi-2\n");
  }

  @Test
  void usage_errors_name_the_options() {
    assertThat(set("wi-1", "--actor", "bob").err())
        .isEqualTo(
            "nothing to change: give --owner, --priority, --due, --epic (or --no-owner,"
                + " --no-priority, --no-due, --no-epic), --add-blocker or --remove-blocker\n"
                + "Try 'tollgate items set --help' for more information.\n");
    assertThat(set("wi-1", "--owner", "x", "--no-owner", "--actor", "bob").err())
        .startsWith("--owner and --no-owner cannot be used together\n");
    assertThat(set("wi-1", "--due", "31.03.2026", "--actor", "bob").err())
        .startsWith("--due must be a real date YYYY-MM-DD but was '31.03.2026'\n");
    Run noActor = set("wi-1", "--owner", "x");
    assertThat(noActor.exit()).isEqualTo(2);
    assertThat(noActor.err()).startsWith("Missing required option: '--actor=NAME'\n");
    Run unknown = set("wi-9", "--owner", "x", "--actor", "bob");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err())
        .isEqualTo(
            "no work item 'wi-9'; did you mean `wi-1`?\n"
                + "Try 'tollgate items set --help' for more information.\n");
    Run epic = set("wi-1", "--epic", "OPZ", "--actor", "bob");
    assertThat(epic.err())
        .startsWith(
            root
                + "/work-items/wi-1.yml: epic names the epic 'OPZ', which .tollgate/policy.yml"
                + " does not declare; did you mean `OPS`?\n");
  }
}
