package dev.tollgate.core.runs.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.runs.step.Secrets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsTest {
  @Test
  void every_occurrence_of_every_secret_is_masked() {
    Secrets s = Secrets.of(List.of("hunter2", "tok-123"));
    assertThat(s.mask("pw=hunter2 token=tok-123 again hunter2"))
        .isEqualTo("pw=*** token=*** again ***");
    assertThat(s.mask("nothing here")).isEqualTo("nothing here");
  }

  @Test
  void a_secret_containing_another_is_masked_whole() {
    Secrets s = Secrets.of(List.of("abc", "xxabcxx"));
    assertThat(s.mask("1 xxabcxx 2 abc")).isEqualTo("1 *** 2 ***");
  }

  @Test
  void each_line_of_a_multi_line_secret_is_a_secret_too() {
    Secrets s = Secrets.of(List.of("-----BEGIN KEY-----\nMIIEvQIBADANBg\n-----END KEY-----"));
    assertThat(s.mask("MIIEvQIBADANBg")).isEqualTo("***");
  }

  @Test
  void empty_values_are_ignored_and_to_string_shows_no_value() {
    Secrets s = Secrets.of(List.of("", "hunter2"));
    assertThat(s.mask("a")).isEqualTo("a");
    assertThat(s).hasToString("Secrets[1 values]");
    assertThat(Secrets.none().isEmpty()).isTrue();
    assertThat(Secrets.none().with("x").mask("axa")).isEqualTo("a***a");
  }

  @Test
  void safe_cut_moves_past_a_secret_that_crosses_the_cut() {
    Secrets s = Secrets.of(List.of("SECRET"));
    assertThat(s.safeCut("aaaSECRETbbb", 5)).isEqualTo(9);
    assertThat(s.safeCut("aaaSECRETbbb", 3)).isEqualTo(3);
    assertThat(s.safeCut("aaaSECRETbbb", 9)).isEqualTo(9);
    assertThat(Secrets.none().safeCut("abc", 2)).isEqualTo(2);
  }

  @Test
  void variables_named_like_secrets_are_the_ones_whose_name_says_so() {
    assertThat(
            List.of(
                "GITHUB_TOKEN",
                "PGPASSWORD",
                "db_passwd",
                "AWS_SECRET_ACCESS_KEY",
                "API_KEY",
                "apikey",
                "SSH_KEY_FILE",
                "GPG_PASSPHRASE",
                "GOOGLE_APPLICATION_CREDENTIALS"))
        .allMatch(Secrets::isSecretName);
    assertThat(List.of("PATH", "HOME", "KEYBOARD_LAYOUT", "KEYTIMEOUT", "LANG", "PGUSER"))
        .noneMatch(Secrets::isSecretName);
    assertThat(Secrets.isSecretName(null)).isFalse();
  }

  @Test
  void named_like_secrets_takes_the_values_of_such_variables_except_short_ones() {
    Secrets s =
        Secrets.namedLikeSecrets(
            java.util.Map.of(
                "PGPASSWORD", "hunter2-long",
                "SOME_TOKEN", "true",
                "PATH", "/usr/bin:/bin"));
    assertThat(s.mask("pw hunter2-long true /usr/bin:/bin")).isEqualTo("pw *** true /usr/bin:/bin");
  }

  @Test
  void and_joins_two_sets_of_secrets() {
    Secrets s = Secrets.of(List.of("alpha1")).and(Secrets.of(List.of("beta22")));
    assertThat(s.mask("alpha1 beta22")).isEqualTo("*** ***");
    assertThat(Secrets.none().and(Secrets.none()).isEmpty()).isTrue();
  }
}
