package dev.tollgate.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresTest {

  private static boolean accepts(String url) {
    Properties p = new Properties();
    p.setProperty("user", EmbeddedPostgres.SUPERUSER);
    p.setProperty("connectTimeout", "2");
    try (Connection c = DriverManager.getConnection(url, p)) {
      return c.isValid(2);
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void a_second_start_attaches_and_only_the_starter_stops_the_server() throws Exception {
    Path parent = Files.createTempDirectory("tollgate-embedded");
    Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path data = parent.resolve("data");
    EmbeddedPostgres first = EmbeddedPostgres.builder(data).durable(false).start();
    try {
      assertThat(first.startedHere()).isTrue();
      EmbeddedPostgres second = EmbeddedPostgres.builder(data).start();
      assertThat(second.startedHere()).isFalse();
      assertThat(second.port()).isEqualTo(first.port());
      second.close();
      assertThat(accepts(first.jdbcUrl())).isTrue();
    } finally {
      first.close();
    }
    assertThat(accepts(first.jdbcUrl())).isFalse();

    // The data survives a restart.
    EmbeddedPostgres again = EmbeddedPostgres.builder(data).durable(false).start();
    try {
      assertThat(again.startedHere()).isTrue();
      assertThat(accepts(again.jdbcUrl())).isTrue();
    } finally {
      again.close();
      dev.tollgate.core.util.FileTrees.deleteQuietly(parent);
    }
  }
}
