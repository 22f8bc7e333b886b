package dev.tollgate.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresAuditLog;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The PostgreSQL audit log: entries kept as given, read newest first a page at a time. */
class AuditLogTest {
  private static Database db;
  private static AuditLog log;

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("audit_log", 2);
    log = PostgresAuditLog.open(db.dataSource(), db.schema());
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void entries_come_back_newest_first_in_keyset_pages_and_by_actor() {
    for (int i = 1; i <= 5; i++) {
      log.record(
          AuditRecord.of(
              i % 2 == 0 ? "bob" : "ann",
              "POST /api/runs/{id}/cancel",
              "/api/runs/" + i + "/cancel",
              i == 5 ? 409 : 200,
              i == 5 ? "changed meanwhile" : null));
    }

    List<AuditRecord> first = log.page(0, 2, null);
    List<AuditRecord> second = log.page(first.get(1).id(), 2, null);
    List<AuditRecord> bob = log.page(0, 10, "bob");

    assertThat(first)
        .extracting(AuditRecord::target)
        .containsExactly("/api/runs/5/cancel", "/api/runs/4/cancel");
    assertThat(first.get(0).result()).isEqualTo("refused");
    assertThat(first.get(0).message()).isEqualTo("changed meanwhile");
    assertThat(first.get(1).result()).isEqualTo("done");
    assertThat(first.get(0).at()).isNotNull();
    assertThat(second)
        .extracting(AuditRecord::target)
        .containsExactly("/api/runs/3/cancel", "/api/runs/2/cancel");
    assertThat(bob).extracting(AuditRecord::actor).containsOnly("bob").hasSize(2);
  }
}
