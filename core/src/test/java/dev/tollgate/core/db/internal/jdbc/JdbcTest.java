package dev.tollgate.core.db.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JdbcTest {
  private static Database db;
  private static DataSource ds;

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("jdbc", 2);
    ds = db.dataSource();
    TestDatabase.execute(
        ds, "CREATE TABLE " + db.schema() + ".things (id bigint, name text, at timestamptz)");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static String things() {
    return db.schema() + ".things";
  }

  private static Optional<Integer> find(long id) {
    return Jdbc.inTransaction(
        ds,
        c -> Jdbc.first(c, "SELECT 1 FROM " + things() + " WHERE id = ?", rs -> 1, id),
        "read thing " + id);
  }

  @Test
  void binds_values_in_order_and_reads_every_row() {
    int inserted =
        Jdbc.inTransaction(
            ds,
            c ->
                Jdbc.update(
                    c,
                    "INSERT INTO " + things() + " VALUES (?, ?, now()), (?, ?, NULL)",
                    1L,
                    "one",
                    2L,
                    null),
            "insert things");
    assertThat(inserted).isEqualTo(2);
    List<String> rows =
        Jdbc.inTransaction(
            ds,
            c ->
                Jdbc.list(
                    c,
                    "SELECT name, at FROM " + things() + " WHERE id <= ? ORDER BY id",
                    rs -> rs.getString(1) + "@" + (Jdbc.instant(rs, 2) != null),
                    2L),
            "read things");
    assertThat(rows).containsExactly("one@true", "null@false");
    assertThat(find(99L)).isEmpty();
  }

  @Test
  void rolls_back_when_the_work_fails_and_says_what_could_not_be_done() {
    String sql = "SELECT id FROM " + things() + " WHERE id = ?";
    assertThatThrownBy(
            () ->
                Jdbc.inTransaction(
                    ds,
                    c -> {
                      Jdbc.update(c, "INSERT INTO " + things() + " VALUES (7, 'seven', NULL)");
                      return Jdbc.one(c, sql, rs -> rs.getLong(1), 404L);
                    },
                    "read thing 404"))
        .isInstanceOf(TollgateException.class)
        .hasMessage("could not read thing 404: no row from " + sql)
        .hasCauseInstanceOf(SQLException.class);
    assertThat(find(7L)).isEmpty();
  }

  @Test
  void reads_json_and_timestamp_columns_as_values() {
    assertThat(Jdbc.json(null)).isNull();
    assertThat(Jdbc.json("{\"a\":[1,2]}").get("a").get(1).asInt()).isEqualTo(2);
    Instant at =
        Jdbc.inTransaction(
            ds,
            c ->
                Jdbc.one(
                    c,
                    "SELECT ?::timestamptz",
                    rs -> Jdbc.instant(rs, 1),
                    OffsetDateTime.parse("2026-03-14T12:00:00Z")),
            "read a time");
    assertThat(at).isEqualTo(Instant.parse("2026-03-14T12:00:00Z"));
  }
}
