package dev.tollgate.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.deploy.engine.DeployResult;
import dev.tollgate.core.postgres.Migrations;
import dev.tollgate.core.runs.Enqueued;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunStatus;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.policy.ActionOutcome;
import dev.tollgate.policy.ActionView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs each step of {@code docs/embedding.md} through {@link EmbeddingExample} against a real
 * (embedded) PostgreSQL and a project checkout that is a Git repository.
 */
class EmbeddingExampleTest {
  private static Database db;
  private static Migrations.Result firstMigration;

  @TempDir Path project;
  private String sha;

  @BeforeAll
  static void connect() {
    // An empty schema: the example migrates it, as a service does at start-up.
    db = Database.connect(TestDatabase.settings(), TestDatabase.uniqueSchema("embedding"), 4);
    firstMigration = example(Path.of("."), db).migrate();
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @BeforeEach
  void checkout() throws Exception {
    Path source = Path.of(EmbeddingExampleTest.class.getResource("/project").toURI());
    try (Stream<Path> files = Files.walk(source)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Path to = project.resolve(source.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to);
        }
      }
    }
    try (Git git = Git.init().setDirectory(project.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      PersonIdent who =
          new PersonIdent(
              "Tess Ter",
              "tess@example.com",
              Instant.parse("2026-01-05T10:00:00Z"),
              ZoneOffset.UTC);
      sha =
          git.commit()
              .setMessage("init")
              .setAuthor(who)
              .setCommitter(who)
              .setSign(false)
              .call()
              .getName();
      git.tag().setName("v1.0.0").setAnnotated(false).call();
    }
  }

  private static EmbeddingExample example(Path project, Database database) {
    return new EmbeddingExample(
        project, database, Clock.systemUTC(), Map.of("PATH", System.getenv("PATH")));
  }

  @Test
  void migrating_an_empty_schema_applies_every_shipped_migration_and_again_nothing() {
    assertThat(firstMigration.applied())
        .containsExactlyElementsOf(
            Migrations.shipped().stream().map(Migrations.Migration::version).toList());
    Migrations.Result again = example(project, db).migrate();
    assertThat(again.applied()).isEmpty();
    assertThat(again.current()).isEqualTo(Migrations.latestVersion());
  }

  @Test
  void lists_an_items_actions_and_performs_one_that_its_gates_allow() throws IOException {
    EmbeddingExample example = example(project, db);

    List<ActionView> forAlice = example.actions("wi-1", "alice");
    ActionView start =
        forAlice.stream().filter(a -> a.identity().equals("start-execution")).findFirst().get();
    assertThat(start.enabled()).as(start.toString()).isTrue();
    assertThat(start.transition()).contains("ready → in-progress");

    ActionOutcome refused = example.perform("wi-1", "start-execution", "mallory");
    assertThat(refused).isInstanceOf(ActionOutcome.Blocked.class);
    assertThat(((ActionOutcome.Blocked) refused).view().recovery()).isPresent();

    ActionOutcome done = example.perform("wi-1", "start-execution", "alice");
    assertThat(done).isInstanceOf(ActionOutcome.Performed.class);
    WorkItem after = ((ActionOutcome.Performed) done).after();
    assertThat(after.lane()).isEqualTo("in-progress");
    assertThat(Files.readString(project.resolve("work-items/wi-1.yml")))
        .contains("lane: in-progress")
        .contains("action: start-execution");
  }

  @Test
  void enqueues_a_run_from_a_template_and_a_worker_executes_it() throws InterruptedException {
    EmbeddingExample example = example(project, db);

    Enqueued enqueued =
        example.enqueue("greet", JsonNodeFactory.instance.objectNode().put("name", "Ada"));
    assertThat(enqueued.created()).isTrue();
    assertThat(enqueued.run().lane()).isEqualTo("ops");
    assertThat(enqueued.run().status()).isEqualTo(RunStatus.QUEUED);

    assertThat(example.work(List.of("ops"))).isEqualTo(1);
    Run run = example.run(enqueued.run().id());
    assertThat(run.status()).as(run.message()).isEqualTo(RunStatus.SUCCESS);
  }

  @Test
  void deploys_an_environment_and_records_the_release() throws IOException {
    List<String> progress = new CopyOnWriteArrayList<>();

    DeployResult result = example(project, db).deploy("staging", "v1.0.0", "alice", progress::add);

    assertThat(result.outcome()).as(result.message()).isEqualTo(DeployResult.Outcome.DEPLOYED);
    assertThat(result.release().orElseThrow().commitSha()).isEqualTo(sha);
    assertThat(Files.readString(project.resolve("shipped.txt"))).isEqualTo("v1.0.0");
    assertThat(progress).contains("deployed v1.0.0 to staging");
  }
}
