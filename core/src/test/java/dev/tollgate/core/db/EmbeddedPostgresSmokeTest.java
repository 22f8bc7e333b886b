package dev.tollgate.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresSmokeTest {
  @Test
  void starts_migrates_and_answers() throws Exception {
    Path parent = Files.createTempDirectory("tg-pg");
    Files.setPosixFilePermissions(
        parent, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Path dir = parent.resolve("data");
    try (Database db = Database.embedded(dir, "tollgate", 2)) {
      assertThat(db.migrate().current()).isEqualTo(1);
      try (Connection c = db.dataSource().getConnection();
          ResultSet rs = c.createStatement().executeQuery("select version()")) {
        rs.next();
        System.out.println(rs.getString(1));
      }
    }
  }
}
