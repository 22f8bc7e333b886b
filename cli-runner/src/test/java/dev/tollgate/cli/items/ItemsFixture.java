package dev.tollgate.cli.items;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.actions.github.Sleeper;
import dev.tollgate.cli.TollgateCommand;
import dev.tollgate.cli.common.Seams;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A small project for the work-item command tests: a policy, five items across lanes and one prompt
 * file, with every file dated {@link #SNAPSHOT} and the commands' clock fixed at {@link #NOW}.
 */
final class ItemsFixture {
  static final Instant NOW = Instant.parse("2026-03-14T12:00:00Z");
  static final Instant SNAPSHOT = Instant.parse("2026-03-14T09:30:00Z");

  static final String POLICY =
      String.join(
          "\n",
          "version: 1",
          "lanes:",
          "  backlog:",
          "  ready:",
          "  in-progress:",
          "    title: In progress",
          "    wip_limit: 2",
          "  review:",
          "  done:",
          "    terminal: true",
          "transitions:",
          "  backlog: [ready]",
          "  ready: [in-progress, backlog]",
          "  in-progress: [review, ready]",
          "  review: [done, in-progress]",
          "epics:",
          "  BF: {title: Billing fixes}",
          "  OPS: {title: Operations}",
          "teams:",
          "  platform: [alice, bob]",
          "permissions:",
          "  factory.work-item.execute: {teams: [platform]}",
          "  factory.work-item.review: {users: [carol]}",
          "");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  final Path root;

  private ItemsFixture(Path root) {
    this.root = root;
  }

  /** What a run printed and returned. */
  record Run(int exit, String out, String err) {
    /** Standard output parsed as JSON. */
    JsonNode json() {
      try {
        return MAPPER.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("stdout is not JSON: " + out, e);
      }
    }
  }

  /** The clock the commands {@link #run} runs read. */
  private static Clock clock = Clock.systemUTC();

  /** Fixes the command clock; call from {@code @BeforeEach}. */
  static void fixClock() {
    clock = Clock.fixed(NOW, ZoneOffset.UTC);
  }

  /** Sets the command clock to {@code fixed}. */
  static void setClock(Clock fixed) {
    clock = fixed;
  }

  /** The clock the commands {@link #run} runs read now. */
  static Clock clock() {
    return clock;
  }

  /** Restores the system clock; call from {@code @AfterEach}. */
  static void resetClock() {
    clock = Clock.systemUTC();
  }

  /** Runs {@code tollgate} with {@code args}, capturing both streams. */
  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Seams seams = new Seams(clock, System.getenv(), Sleeper.system());
    int exit = TollgateCommand.execute(seams, new PrintWriter(out), new PrintWriter(err), args);
    return new Run(
        exit, out.toString().replace("\r\n", "\n"), err.toString().replace("\r\n", "\n"));
  }

  /** The standard project under {@code root}. */
  static ItemsFixture standard(Path root) {
    ItemsFixture p = new ItemsFixture(root);
    p.file(".tollgate/policy.yml", POLICY);
    p.file(
        "work-items/wi-1.yml",
        "id: wi-1\n"
            + "title: Fix rounding in invoices\n"
            + "epic: BF\n"
            + "lane: ready\n"
            + "status: open\n"
            + "priority: 2\n"
            + "owner: alice\n"
            + "due: \"2026-03-31\"\n"
            + "work_type: bug\n"
            + "source: incident INC-9\n"
            + "branch: bf/BF-1-rounding\n"
            + "validation: ./mvnw -q verify\n"
            + "done_criteria:\n"
            + "  - totals match the ledger\n"
            + "  - a regression test pins the bug\n");
    p.file(
        "work-items/wi-2.yml",
        "id: wi-2\n"
            + "title: Retry failed ledger exports\n"
            + "epic: BF\n"
            + "lane: in-progress\n"
            + "status: in-progress\n"
            + "priority: 1\n"
            + "owner: bob\n");
    p.file(
        "work-items/wi-3.yml",
        "id: wi-3\n"
            + "title: Show tax per line\n"
            + "epic: BF\n"
            + "lane: done\n"
            + "status: done\n"
            + "owner: alice\n"
            + "branch: bf/BF-3-tax\n"
            + "blockers:\n"
            + "  - wi-2\n");
    p.file(
        "work-items/wi-4.yml",
        "id: wi-4\n"
            + "title: Alert on export lag\n"
            + "epic: OPS\n"
            + "lane: backlog\n"
            + "status: open\n"
            + "blockers:\n"
            + "  - wi-2\n"
            + "  - vendor contract\n");
    p.file(
        "work-items/wi-5.yml",
        "id: wi-5\n"
            + "title: Tidy the README\n"
            + "lane: ready\n"
            + "status: open\n"
            + "priority: 3\n"
            + "owner: carol\n"
            + "work_type: chore\n");
    p.file(
        "work-items/prompts/wi-1.prompt.md",
        "---\nmodel: any\n---\n\n# Fix rounding in invoices\n\nRound half even.\n");
    p.dateAll();
    return p;
  }

  /** Writes {@code text} to {@code rel} under the root. */
  ItemsFixture file(String rel, String text) {
    try {
      Path f = root.resolve(rel);
      Files.createDirectories(f.getParent());
      Files.writeString(f, text);
      Files.setLastModifiedTime(f, FileTime.from(SNAPSHOT));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bytes of {@code rel} under the root. */
  byte[] bytes(String rel) {
    try {
      return Files.readAllBytes(root.resolve(rel));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text of {@code rel} under the root. */
  String text(String rel) {
    try {
      return Files.readString(root.resolve(rel));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void dateAll() {
    try (var files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(f, FileTime.from(SNAPSHOT));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The root as a command-line argument. */
  String dir() {
    return root.toString();
  }
}
