package dev.tollgate.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
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
