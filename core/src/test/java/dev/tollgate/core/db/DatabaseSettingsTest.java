package dev.tollgate.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

  @Test
  void a_postgres_url_becomes_a_jdbc_url_with_separate_credentials() {
    DatabaseSettings s =
        DatabaseSettings.parse("postgres://deploy:p%40ss:word@db.example:6543/ops?sslmode=require");
    assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/ops?sslmode=require");
    assertThat(s.user()).isEqualTo("deploy");
    assertThat(s.password()).isEqualTo("p@ss:word");
    assertThat(s.toString()).doesNotContain("p@ss");
  }

  @Test
  void a_jdbc_url_is_taken_as_it_is() {
    DatabaseSettings s = DatabaseSettings.parse("jdbc:postgresql://localhost/db?user=x");
    assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/db?user=x");
    assertThat(s.user()).isNull();
  }

  @Test
  void other_schemes_are_bad_input_and_the_password_is_not_echoed() {
    assertThatThrownBy(() -> DatabaseSettings.parse("mysql://root:secret@host/db"))
        .isInstanceOf(TollgateException.class)
        .hasMessageContaining("expected jdbc:postgresql://")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> DatabaseSettings.parse(" ")).hasMessageContaining("found nothing");
  }

  private static String badInput(String url) {
    try {
      DatabaseSettings.parse(url);
    } catch (TollgateException e) {
      assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT);
      return e.getMessage();
    }
    throw new AssertionError("expected bad input for " + url);
  }

  @Test
  void a_port_outside_1_to_65535_is_bad_input_naming_the_port() {
    assertThat(badInput("jdbc:postgresql://localhost:99999/db"))
        .isEqualTo("database URL: port must be a number from 1 to 65535 but was '99999'");
    assertThat(badInput("postgres://u:secret@db.example:99999/db"))
        .isEqualTo("database URL: port must be a number from 1 to 65535 but was '99999'");
    assertThat(badInput("jdbc:postgresql://a:5432,b:0/db"))
        .isEqualTo("database URL: port must be a number from 1 to 65535 but was '0'");
    assertThat(badInput("jdbc:postgresql://localhost:54x2/db"))
        .isEqualTo("database URL: port must be a number from 1 to 65535 but was '54x2'");
  }

  @Test
  void an_unknown_sslmode_is_bad_input_listing_the_choices() {
    assertThat(badInput("jdbc:postgresql://localhost/db?sslmode=bogus"))
        .isEqualTo(
            "database URL: sslmode must be one of disable, allow, prefer, require, verify-ca,"
                + " verify-full but was 'bogus'");
    assertThat(badInput("postgres://u:secret@h/db?sslmode=bogus")).doesNotContain("secret");
  }

  @Test
  void a_socket_factory_that_cannot_be_used_is_bad_input_naming_the_class() {
    assertThat(badInput("jdbc:postgresql://localhost/db?socketFactory=com.example.Nope"))
        .isEqualTo(
            "database URL: socketFactory names the class com.example.Nope, which is not on the"
                + " class path");
    assertThat(badInput("jdbc:postgresql://localhost/db?socketFactory=java.lang.String"))
        .isEqualTo(
            "database URL: socketFactory names the class java.lang.String, which is not a"
                + " javax.net.SocketFactory");
  }

  @Test
  void a_number_property_that_is_not_a_number_is_bad_input() {
    assertThat(badInput("jdbc:postgresql://localhost/db?connectTimeout=soon"))
        .isEqualTo("database URL: connectTimeout must be an integer but was 'soon'");
  }

  @Test
  void what_the_driver_accepts_passes() {
    for (String url :
        List.of(
            "jdbc:postgresql://localhost:65535/db?sslmode=REQUIRE&connectTimeout=5",
            "jdbc:postgresql://a:1,b/db?targetServerType=primary&protocolVersion=3.0",
            "jdbc:postgresql://[::1]:5432/db?socketFactory=javax.net.SocketFactory",
            "postgres://u:p@db.example/neondb?sslmode=require&channel_binding=require",
            "jdbc:postgresql:db")) {
      assertThat(DatabaseSettings.parse(url).jdbcUrl()).as(url).startsWith("jdbc:postgresql:");
    }
  }

  @Test
  void redact_hides_passwords_in_both_forms() {
    assertThat(DatabaseSettings.redact("postgres://u:pw@h/db")).isEqualTo("postgres://u:***@h/db");
    assertThat(DatabaseSettings.redact("jdbc:postgresql://h/db?user=u&password=pw&x=1"))
        .isEqualTo("jdbc:postgresql://h/db?user=u&password=***&x=1");
  }

  @Test
  void passwords_are_found_in_both_forms_for_masking() {
    assertThat(DatabaseSettings.parse("postgres://u:p%40ss@h/db").passwords())
        .containsExactly("p@ss");
    assertThat(
            DatabaseSettings.parse("jdbc:postgresql://h/db?user=u&password=p%40ss&x=1").passwords())
        .containsExactly("p%40ss", "p@ss");
    assertThat(DatabaseSettings.parse("jdbc:postgresql://h/db?user=u").passwords()).isEmpty();
  }

  @Test
  void schema_names_must_be_plain_identifiers() {
    assertThat(SchemaName.check("tollgate_2")).isEqualTo("tollgate_2");
    assertThatThrownBy(() -> SchemaName.check("x; drop table runs"))
        .hasMessageContaining("expected a lower-case identifier");
    assertThatThrownBy(() -> SchemaName.check("Tollgate")).isInstanceOf(TollgateException.class);
  }
}
