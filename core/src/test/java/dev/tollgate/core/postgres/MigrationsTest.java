package dev.tollgate.core.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  void migrating_twice_applies_each_migration_once() {
    try (Database db =
        Database.connect(TestDatabase.settings(), TestDatabase.uniqueSchema("mig_twice"), 2)) {
      Migrations.Result first = Migrations.apply(db.dataSource(), db.schema());
      Migrations.Result second = Migrations.apply(db.dataSource(), db.schema());
      assertThat(first.applied())
          .containsExactlyElementsOf(
              Migrations.shipped().stream().map(Migrations.Migration::version).toList());
      assertThat(second.applied()).isEmpty();
      assertThat(second.current()).isEqualTo(Migrations.latestVersion());
    }
  }

  @Test
  void concurrent_migrations_do_not_race() throws Exception {
    try (Database db =
        Database.connect(TestDatabase.settings(), TestDatabase.uniqueSchema("mig_race"), 4)) {
      ExecutorService pool = Executors.newFixedThreadPool(3);
      Callable<Migrations.Result> task = () -> Migrations.apply(db.dataSource(), db.schema());
      var results = pool.invokeAll(java.util.List.of(task, task, task));
      pool.shutdown();
      int applied = 0;
      for (Future<Migrations.Result> r : results) {
        applied += r.get().applied().size();
      }
      assertThat(applied).isEqualTo(Migrations.shipped().size());
    }
  }

  @Test
  void a_schema_newer_than_the_code_is_refused_with_what_to_do() {
    try (Database db =
        Database.connect(TestDatabase.settings(), TestDatabase.uniqueSchema("mig_newer"), 2)) {
      Migrations.apply(db.dataSource(), db.schema());
      TestDatabase.execute(
          db.dataSource(),
          "INSERT INTO "
              + db.schema()
              + ".schema_version (version, description, checksum)"
              + " VALUES (999, 'from the future', 'x')");
      assertThatThrownBy(() -> Migrations.apply(db.dataSource(), db.schema()))
          .isInstanceOf(TollgateException.class)
          .hasMessageContaining("is at version 999, newer than this Tollgate knows");
      assertThatThrownBy(() -> Migrations.currentVersion(db.dataSource(), db.schema()))
          .hasMessageContaining("upgrade Tollgate");
    }
  }

  @Test
  void an_applied_migration_that_differs_from_the_shipped_file_is_refused() {
    try (Database db =
        Database.connect(TestDatabase.settings(), TestDatabase.uniqueSchema("mig_edit"), 2)) {
      Migrations.apply(db.dataSource(), db.schema());
      TestDatabase.execute(
          db.dataSource(),
          "UPDATE " + db.schema() + ".schema_version SET checksum = 'edited' WHERE version = 1");
      assertThatThrownBy(() -> Migrations.apply(db.dataSource(), db.schema()))
          .hasMessageContaining("do not edit applied migrations");
    }
  }

  @Test
  void every_migration_file_is_listed_in_the_index() throws Exception {
    java.nio.file.Path folder =
        java.nio.file.Path.of("src/main/resources/dev/tollgate/core/db/migrations");
    try (var files = java.nio.file.Files.list(folder)) {
      var sql =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".sql"))
              .sorted()
              .toList();
      assertThat(Migrations.shipped())
          .extracting(m -> String.format("V%03d__", m.version()))
          .containsExactlyElementsOf(sql.stream().map(n -> n.substring(0, 6)).toList());
    }
  }
}
