package dev.tollgate.core.db.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.deploy.PromotionStatus;
import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.postgres.Migrations;
import dev.tollgate.core.postgres.PostgresDeployStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The migration that lets a promotion end {@code failed} upgrades a database holding promotions in
 * every earlier status: they keep their status, and an executing one can then end failed.
 */
class PromotionStatusUpgradeTest {

  private static final int MIGRATION =
      Migrations.shipped().stream()
          .filter(m -> m.description().equals("promotion failed status"))
          .findFirst()
          .orElseThrow()
          .version();

  private static List<SchemaMigrator.Step> upTo(int version) {
    return Migrations.shipped().stream()
        .filter(m -> m.version() <= version)
        .map(m -> new SchemaMigrator.Step(m.version(), m.description(), m.sql(), m.checksum()))
        .toList();
  }

  @Test
  void promotions_keep_their_status_and_an_executing_one_can_then_end_failed() throws Exception {
    String schema = TestDatabase.uniqueSchema("promo_upgrade");
    try (Database db = Database.connect(TestDatabase.settings(), schema, 2)) {
      assertThat(SchemaMigrator.apply(db.dataSource(), schema, upTo(MIGRATION - 1)).current())
          .isEqualTo(MIGRATION - 1);
      DeployStore store = PostgresDeployStore.open(db.dataSource(), schema);
      String executing = store.createPromotion("prod", "v1", "a".repeat(40)).id();
      String rolledBack = store.createPromotion("prod", "v0", "b".repeat(40)).id();
      for (String id : List.of(executing, rolledBack)) {
        store.setPromotionStatus(id, PromotionStatus.PENDING, PromotionStatus.APPROVED, "ann");
        store.setPromotionStatus(id, PromotionStatus.APPROVED, PromotionStatus.EXECUTING, "ann");
      }
      store.setPromotionStatus(
          rolledBack, PromotionStatus.EXECUTING, PromotionStatus.ROLLED_BACK, "ann");
      assertThatThrownBy(
              () -> {
                try (Connection c = db.dataSource().getConnection();
                    Statement st = c.createStatement()) {
                  st.execute(
                      "UPDATE "
                          + schema
                          + ".promotions SET status = 'failed' WHERE id = "
                          + executing);
                }
              })
          .as("before the migration")
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("promotions_status_check");

      assertThat(Migrations.apply(db.dataSource(), schema).applied()).contains(MIGRATION);

      assertThat(store.promotionEntry(rolledBack).orElseThrow().promotion().status())
          .isEqualTo(PromotionStatus.ROLLED_BACK);
      assertThat(
              store.setPromotionStatus(
                  executing, PromotionStatus.EXECUTING, PromotionStatus.FAILED, "ann"))
          .isTrue();
      assertThat(store.promotionEntry(executing).orElseThrow().promotion().status())
          .isEqualTo(PromotionStatus.FAILED);
    }
  }
}
