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

class EpicsCommandTest {
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

  @Test
  void text_shows_progress_per_epic_and_the_open_blockers() {
    Run r = run("epics", "--dir", project.dir());
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(
            "EPIC  DONE  PERCENT  IN PROGRESS  OPEN  DEFERRED  BLOCKERS  TITLE\n"
                + "BF    1/3   33%      1            1     0         0         Billing fixes\n"
                + "OPS   0/1   0%       0            1     0         2         Operations\n"
                + "\n"
                + "Open blockers:\n"
                + "  OPS: wi-4 is blocked by wi-2, which is in-progress in lane in-progress\n"
                + "  OPS: wi-4 is blocked: vendor contract\n");
  }

  @Test
  void json_has_counts_percent_and_open_blockers() {
    Run r = run("epics", "--dir", project.dir(), "--format", "json");
    assertThat(r.exit()).isZero();
    JsonNode a = r.json();
    assertThat(a.size()).isEqualTo(2);

    JsonNode bf = a.get(0);
    assertThat(bf.get("id").asText()).isEqualTo("BF");
    assertThat(bf.get("title").asText()).isEqualTo("Billing fixes");
    assertThat(bf.get("total").asInt()).isEqualTo(3);
    assertThat(bf.get("done").asInt()).isEqualTo(1);
    assertThat(bf.get("inProgress").asInt()).isEqualTo(1);
    assertThat(bf.get("open").asInt()).isEqualTo(1);
    assertThat(bf.get("deferred").asInt()).isZero();
    assertThat(bf.get("percent").asInt()).isEqualTo(33);
    assertThat(bf.get("complete").asBoolean()).isFalse();
    // wi-3 is done, so what it lists no longer holds the epic back.
    assertThat(bf.get("openBlockers").size()).isZero();

    JsonNode ops = a.get(1);
    assertThat(ops.get("id").asText()).isEqualTo("OPS");
    assertThat(ops.get("percent").asInt()).isZero();
    JsonNode blockers = ops.get("openBlockers");
    assertThat(blockers.size()).isEqualTo(2);
    assertThat(blockers.get(0).get("item").asText()).isEqualTo("wi-4");
    assertThat(blockers.get(0).get("kind").asText()).isEqualTo("item");
    assertThat(blockers.get(0).get("ref").asText()).isEqualTo("wi-2");
    assertThat(blockers.get(1).get("kind").asText()).isEqualTo("text");
    assertThat(blockers.get(1).get("ref").asText()).isEqualTo("vendor contract");
  }

  @Test
  void deferred_items_do_not_count_towards_the_percentage() {
    project.file(
        "work-items/wi-6.yml",
        "id: wi-6\ntitle: Later\nepic: OPS\nlane: backlog\nstatus: deferred\n");
    project.file(
        "work-items/wi-7.yml", "id: wi-7\ntitle: Shipped\nepic: OPS\nlane: done\nstatus: done\n");
    JsonNode ops = run("epics", "--dir", project.dir(), "--format", "json").json().get(1);
    assertThat(ops.get("total").asInt()).isEqualTo(3);
    assertThat(ops.get("done").asInt()).isEqualTo(1);
    assertThat(ops.get("deferred").asInt()).isEqualTo(1);
    assertThat(ops.get("percent").asInt()).isEqualTo(50);
  }

  @Test
  void a_policy_without_epics_says_how_to_declare_them() {
    project.file(".tollgate/policy.yml", "version: 1\nlanes:\n  ready:\n");
    project.file("work-items/wi-1.yml", "id: wi-1\ntitle: A\nlane: ready\nstatus: open\n");
    for (String id : new String[] {"wi-2", "wi-3", "wi-4", "wi-5"}) {
      try {
        java.nio.file.Files.delete(dir.resolve("work-items/" + id + ".yml"));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    Run r = run("epics", "--dir", project.dir());
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .isEqualTo("No epics declared: add them under epics: in .tollgate/policy.yml.\n");
    assertThat(run("epics", "--dir", project.dir(), "--format", "json").out()).isEqualTo("[]\n");
  }

  @Test
  void unknown_format_is_bad_input() {
    Run r = run("epics", "--dir", project.dir(), "--format", "yaml");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "--format must be one of text, json but was 'yaml'\n"
                + "Try 'tollgate epics --help' for more information.\n");
  }

  @Test
  void invalid_policy_is_bad_input_with_line_and_column() {
    project.file(".tollgate/policy.yml", "version: 1\nlanes:\n  ready:\n    wip_limit: -1\n");
    Run r = run("epics", "--dir", project.dir());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .startsWith(project.dir().replace('\\', '/') + "/.tollgate/policy.yml:4:16: ")
        .endsWith("\nTry 'tollgate epics --help' for more information.\n");
  }
}
