package dev.tollgate.cli.items;

import static dev.tollgate.cli.items.ItemsFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.cli.items.ItemsFixture.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemsCreateCommandTest {
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

  private Run create(String... extra) {
    List<String> args = new ArrayList<>(List.of("items", "create"));
    args.addAll(List.of(extra));
    args.addAll(List.of("--dir", project.dir()));
    return run(args.toArray(String[]::new));
  }

  @Test
  void creates_the_item_in_the_policys_first_lane_and_prints_what_it_wrote() {
    Run r =
        create(
            "wi-9",
            "--title",
            "Retry failed webhooks",
            "--owner",
            "bob",
            "--priority",
            "4",
            "--due",
            "2026-04-30",
            "--epic",
            "OPS",
            "--blocked-by",
            "wi-2",
            "--actor",
            "alice");
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "wi-9: created by alice\n"
                + "  title    Retry failed webhooks\n"
                + "  epic     OPS\n"
                + "  lane     backlog\n"
                + "  status   open\n"
                + "  priority 4\n"
                + "  owner    bob\n"
                + "  due      2026-04-30\n"
                + "  blockers + wi-2\n"
                + "  history  + 2026-03-14T12:00:00Z alice create\n"
                + "Wrote "
                + root
                + "/work-items/wi-9.yml\n");
    assertThat(project.text("work-items/wi-9.yml"))
        .isEqualTo(
            "id: wi-9\n"
                + "title: Retry failed webhooks\n"
                + "epic: OPS\n"
                + "lane: backlog\n"
                + "status: open\n"
                + "priority: 4\n"
                + "owner: bob\n"
                + "due: \"2026-04-30\"\n"
                + "blockers:\n"
                + "  - wi-2\n"
                + "history:\n"
                + "  - at: \"2026-03-14T12:00:00Z\"\n"
                + "    actor: alice\n"
                + "    action: create\n"
                + "    note: created in lane backlog\n");
    Run listed = run("items", "list", "--dir", project.dir(), "--epic", "OPS");
    assertThat(listed.out())
        .contains(
            "4     wi-9  backlog  open    bob    OPS   Retry failed webhooks  [blocked by wi-2]");
  }

  @Test
  void json_is_the_librarys_write_with_the_file_under_dir() {
    Run r =
        create(
            "wi-9",
            "--title",
            "Hot fix",
            "--lane",
            "in-progress",
            "--blocked-by",
            "wi-1,wi-5",
            "--actor",
            "carol",
            "--format",
            "json");
    assertThat(r.exit()).isZero();
    JsonNode o = r.json();
    assertThat(o.get("item").asText()).isEqualTo("wi-9");
    assertThat(o.get("action").asText()).isEqualTo("create");
    assertThat(o.get("actor").asText()).isEqualTo("carol");
    assertThat(o.get("written").asBoolean()).isTrue();
    assertThat(o.get("file").asText()).isEqualTo(root + "/work-items/wi-9.yml");
    List<String> changes = new ArrayList<>();
    o.get("changes").forEach(c -> changes.add(c.get("field").asText() + "=" + c.get("to")));
    assertThat(changes)
        .containsExactly(
            "title=\"Hot fix\"",
            "lane=\"in-progress\"",
            "status=\"open\"",
            "blockers=\"wi-1\"",
            "blockers=\"wi-5\"");
    assertThat(o.get("history").get("note").asText()).isEqualTo("created in lane in-progress");
  }

  @Test
  void an_undeclared_epic_and_an_unknown_blocker_are_bad_input_and_nothing_is_written() {
    Run r = create("wi-9", "--title", "x", "--epic", "OPZ", "--blocked-by", "wi-7", "--actor", "a");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            root
                + "/work-items/wi-9.yml: blockers names the work item 'wi-7', which does not"
                + " exist; did you mean `wi-1`?\n"
                + root
                + "/work-items/wi-9.yml: epic names the epic 'OPZ', which .tollgate/policy.yml"
                + " does not declare; did you mean `OPS`?\n"
                + "Try 'tollgate items create --help' for more information.\n");
    assertThat(Files.exists(dir.resolve("work-items/wi-9.yml"))).isFalse();
  }

  @Test
  void a_taken_id_is_bad_input_at_the_existing_id() {
    Run r = create("wi-1", "--title", "Again", "--actor", "a");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            root
                + "/work-items/wi-1.yml:1:5: work item 'wi-1' already exists\n"
                + "Try 'tollgate items create --help' for more information.\n");
  }

  @Test
  void a_terminal_or_full_lane_is_bad_input() {
    assertThat(create("wi-9", "--title", "x", "--lane", "done", "--actor", "a").err())
        .startsWith(
            root
                + "/work-items/wi-9.yml: a new item cannot start in lane done, which is terminal"
                + " (items there are done)\n");
    project.file(
        "work-items/wi-6.yml", "id: wi-6\ntitle: Six\nlane: in-progress\nstatus: in-progress\n");
    Run full = create("wi-9", "--title", "x", "--lane", "in-progress", "--actor", "a");
    assertThat(full.exit()).isEqualTo(2);
    assertThat(full.err())
        .startsWith(root + "/work-items/wi-9.yml: lane in-progress is full: 2 of 2 (wi-2, wi-6)\n");
  }

  @Test
  void bad_option_values_are_usage_errors() {
    assertThat(create("wi-9", "--title", "x", "--due", "2026-02-30", "--actor", "a").err())
        .isEqualTo(
            "--due must be a real date YYYY-MM-DD but was '2026-02-30'\n"
                + "Try 'tollgate items create --help' for more information.\n");
    assertThat(create("wi-9", "--title", "x", "--priority", "0", "--actor", "a").err())
        .isEqualTo(
            "priority must be >= 1 but was 0\n"
                + "Try 'tollgate items create --help' for more information.\n");
    assertThat(create("wi 9", "--title", "x", "--actor", "a").err())
        .startsWith("id must start with a letter or digit and contain only letters, digits,");
    Run noTitle = create("wi-9", "--actor", "a");
    assertThat(noTitle.exit()).isEqualTo(2);
    assertThat(noTitle.err())
        .isEqualTo(
            "Missing required option: '--title=TITLE'\n"
                + "Try 'tollgate items create --help' for more information.\n");
    Run blankActor = create("wi-9", "--title", "x", "--actor", " ");
    assertThat(blankActor.exit()).isEqualTo(2);
    assertThat(blankActor.err()).startsWith("--actor must not be blank\n");
    assertThat(Files.exists(dir.resolve("work-items/wi-9.yml"))).isFalse();
  }

  @Test
  void a_write_that_cannot_finish_exits_three() throws Exception {
    Files.createDirectories(dir.resolve("work-items/wi-9.yml"));
    Run r = create("wi-9", "--title", "x", "--actor", "a");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .startsWith("tollgate: could not finish: work-items/wi-9.yml: cannot read before writing")
        .endsWith("Run again with --verbose to see the stack trace.\n");
  }
}
