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

class ItemsListCommandTest {
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

  private static List<String> ids(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.get("id").asText()));
    return out;
  }

  private List<String> idsFor(String... filters) {
    List<String> args = new ArrayList<>(List.of("items", "list", "--dir", project.dir()));
    args.addAll(List.of(filters));
    args.addAll(List.of("--format", "json"));
    Run r = run(args.toArray(String[]::new));
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    return ids(r.json());
  }

  @Test
  void lists_every_item_in_rank_order_as_a_table() {
    Run r = run("items", "list", "--dir", project.dir());
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(
            "RANK  ID    LANE         STATUS       OWNER  EPIC  TITLE\n"
                + "1     wi-2  in-progress  in-progress  bob    BF    Retry failed ledger exports\n"
                + "2     wi-1  ready        open         alice  BF    Fix rounding in invoices\n"
                + "3     wi-5  ready        open         carol  -     Tidy the README\n"
                + "-     wi-3  done         done         alice  BF    Show tax per line"
                + "  [blocked by wi-2]\n"
                + "-     wi-4  backlog      open         -      OPS   Alert on export lag"
                + "  [blocked by wi-2, \"vendor contract\"]\n"
                + "5 items\n");
  }

  @Test
  void json_is_an_array_of_typed_summaries_in_rank_order() {
    Run r = run("items", "list", "--dir", project.dir(), "--format", "json");
    assertThat(r.exit()).isZero();
    JsonNode a = r.json();
    assertThat(a.isArray()).isTrue();
    assertThat(ids(a)).containsExactly("wi-2", "wi-1", "wi-5", "wi-3", "wi-4");

    JsonNode wi1 = a.get(1);
    assertThat(wi1.get("title").asText()).isEqualTo("Fix rounding in invoices");
    assertThat(wi1.get("epic").asText()).isEqualTo("BF");
    assertThat(wi1.get("lane").asText()).isEqualTo("ready");
    assertThat(wi1.get("state").isNull()).isTrue();
    assertThat(wi1.get("status").asText()).isEqualTo("open");
    assertThat(wi1.get("priority").asInt()).isEqualTo(2);
    assertThat(wi1.get("owner").asText()).isEqualTo("alice");
    assertThat(wi1.get("due").asText()).isEqualTo("2026-03-31");
    assertThat(wi1.get("workType").asText()).isEqualTo("bug");
    assertThat(wi1.get("branch").asText()).isEqualTo("bf/BF-1-rounding");
    assertThat(wi1.get("pr").isNull()).isTrue();
    assertThat(wi1.get("doneCriteriaCount").asInt()).isEqualTo(2);
    assertThat(wi1.get("blocked").asBoolean()).isFalse();
    assertThat(wi1.get("blockers").size()).isZero();

    JsonNode wi4 = a.get(4);
    assertThat(wi4.get("priority").isNull()).isTrue();
    assertThat(wi4.get("owner").isNull()).isTrue();
    assertThat(wi4.get("blocked").asBoolean()).isTrue();
    JsonNode onItem = wi4.get("blockers").get(0);
    assertThat(onItem.get("kind").asText()).isEqualTo("item");
    assertThat(onItem.get("ref").asText()).isEqualTo("wi-2");
    assertThat(onItem.get("status").asText()).isEqualTo("in-progress");
    assertThat(onItem.get("lane").asText()).isEqualTo("in-progress");
    assertThat(onItem.get("blocking").asBoolean()).isTrue();
    assertThat(onItem.get("description").asText())
        .isEqualTo("blocked by wi-2, which is in-progress in lane in-progress");
    JsonNode text = wi4.get("blockers").get(1);
    assertThat(text.get("kind").asText()).isEqualTo("text");
    assertThat(text.get("ref").asText()).isEqualTo("vendor contract");
    assertThat(text.get("status").isNull()).isTrue();
    assertThat(text.get("blocking").asBoolean()).isTrue();
  }

  @Test
  void filters_narrow_the_list_and_combine() {
    assertThat(idsFor("--status", "open")).containsExactly("wi-1", "wi-5", "wi-4");
    assertThat(idsFor("--status", "done", "--status", "in-progress"))
        .containsExactly("wi-2", "wi-3");
    assertThat(idsFor("--epic", "BF")).containsExactly("wi-2", "wi-1", "wi-3");
    assertThat(idsFor("--epic", "BF", "--owner", "alice")).containsExactly("wi-1", "wi-3");
    assertThat(idsFor("--priority", "2")).containsExactly("wi-1");
    assertThat(idsFor("--lane", "ready")).containsExactly("wi-1", "wi-5");
    assertThat(idsFor("--lane", "ready", "--owner", "carol")).containsExactly("wi-5");
    assertThat(idsFor("--lane", "review")).isEmpty();
  }

  @Test
  void no_match_says_so_in_text() {
    Run r = run("items", "list", "--dir", project.dir(), "--lane", "review");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("No work items match the filters.\n");
  }

  @Test
  void unknown_status_is_bad_input() {
    Run r = run("items", "list", "--dir", project.dir(), "--status", "doing");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "--status must be one of open, in-progress, done, deferred but was 'doing'\n"
                + "Try 'tollgate items list --help' for more information.\n");
  }

  @Test
  void undeclared_lane_is_bad_input_with_suggestion() {
    Run r = run("items", "list", "--dir", project.dir(), "--lane", "reviw");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "--lane names the lane 'reviw', which "
                + project.dir().replace('\\', '/')
                + "/.tollgate/policy.yml does not declare; did you mean `review`?\n"
                + "Try 'tollgate items list --help' for more information.\n");
  }

  @Test
  void undeclared_epic_is_bad_input_listing_the_epics() {
    Run r = run("items", "list", "--dir", project.dir(), "--epic", "ZZZZZ");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "--epic names the epic 'ZZZZZ', which "
                + project.dir().replace('\\', '/')
                + "/.tollgate/policy.yml does not declare (declared: BF, OPS)\n"
                + "Try 'tollgate items list --help' for more information.\n");
  }

  @Test
  void priority_below_one_is_bad_input() {
    Run r = run("items", "list", "--dir", project.dir(), "--priority", "0");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "--priority must be >= 1 but was 0\n"
                + "Try 'tollgate items list --help' for more information.\n");
  }

  @Test
  void unknown_format_is_bad_input() {
    Run r = run("items", "list", "--dir", project.dir(), "--format", "xml");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "--format must be one of text, json but was 'xml'\n"
                + "Try 'tollgate items list --help' for more information.\n");
  }

  @Test
  void missing_dir_is_bad_input() {
    String missing = dir.resolve("nope").toString();
    Run r = run("items", "list", "--dir", missing);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "--dir '"
                + missing
                + "' does not exist or is not a folder\n"
                + "Try 'tollgate items list --help' for more information.\n");
  }

  @Test
  void missing_policy_is_bad_input_naming_the_file() throws Exception {
    java.nio.file.Files.delete(dir.resolve(".tollgate/policy.yml"));
    Run r = run("items", "list", "--dir", project.dir());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            project.dir().replace('\\', '/')
                + "/.tollgate/policy.yml: file does not exist\n"
                + "Try 'tollgate items list --help' for more information.\n");
  }

  @Test
  void invalid_item_file_is_bad_input_with_line_and_column() {
    project.file("work-items/wi-6.yml", "id: wi-6\ntitle: Broken\nlane: ready\nstatus: doing\n");
    Run r = run("items", "list", "--dir", project.dir());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .startsWith(project.dir().replace('\\', '/') + "/work-items/wi-6.yml:4:9: status ")
        .endsWith("\nTry 'tollgate items list --help' for more information.\n");
  }

  @Test
  void a_prompt_path_leaving_the_project_is_bad_input() {
    project.file(
        "work-items/wi-6.yml",
        "id: wi-6\ntitle: Sneaky\nlane: ready\nstatus: open\nprompt: ../../../../etc/shadow\n");
    Run r = run("items", "list", "--dir", project.dir());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            project.dir().replace('\\', '/')
                + "/work-items/wi-6.yml:5:9: prompt must be a path inside the project (relative to"
                + " its root, '/'-separated, without '..') but was '../../../../etc/shadow'\n"
                + "Try 'tollgate items list --help' for more information.\n");
  }

  @Test
  void item_in_an_undeclared_lane_is_bad_input_with_suggestion() {
    project.file("work-items/wi-6.yml", "id: wi-6\ntitle: Typo\nlane: reviw\nstatus: open\n");
    Run r = run("items", "list", "--dir", project.dir());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            project.dir().replace('\\', '/')
                + "/work-items/wi-6.yml:3:7: lane names the lane 'reviw', which"
                + " .tollgate/policy.yml does not declare; did you mean `review`?\n"
                + "Try 'tollgate items list --help' for more information.\n");
  }

  @Test
  void a_project_without_items_says_how_to_add_one() throws Exception {
    Path empty = dir.resolve("empty");
    java.nio.file.Files.createDirectories(empty.resolve(".tollgate"));
    java.nio.file.Files.writeString(
        empty.resolve(".tollgate/policy.yml"), "version: 1\nlanes:\n  ready:\n");
    Run r = run("items", "list", "--dir", empty.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("No work items yet: add work-items/<id>.yml files.\n");
  }
}
