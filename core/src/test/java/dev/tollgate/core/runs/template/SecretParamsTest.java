package dev.tollgate.core.runs.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretParamsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RunTemplate LOGIN =
      RunTemplate.parse(
          ("name: login\nparams:\n  type: object\n  properties:\n"
                  + "    user: {type: string}\n"
                  + "    token: {type: string, writeOnly: true}\n"
                  + "    note: {type: [string, 'null'], writeOnly: true}\n"
                  + "steps:\n  - name: s\n    shell: echo hi\n")
              .getBytes(StandardCharsets.UTF_8),
          ".tollgate/templates/login.yml");

  private static ParamsCipher cipher(int fill) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) fill);
    return ParamsCipher.of(k);
  }

  private static ObjectNode params() {
    return JSON.createObjectNode().put("user", "ann").put("token", "tok-SECRET-1").putNull("note");
  }

  private static Run stored(SecretParams p) {
    NewRun n = p.applyTo(NewRun.builder("login")).build();
    return new Run(
        7,
        "login",
        null,
        "default",
        0,
        n.params(),
        n.sealedParams(),
        RunStatus.RUNNING,
        1,
        0,
        3,
        Duration.ZERO,
        Duration.ZERO,
        null,
        Instant.EPOCH,
        Instant.EPOCH,
        null,
        null,
        null,
        "w",
        false,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void write_only_values_are_sealed_and_shown_as_the_mask() {
    SecretParams p = SecretParams.split(LOGIN, params(), Optional.of(cipher(1)));
    assertThat(p.visible())
        .isEqualTo(JSON.createObjectNode().put("user", "ann").put("token", "***").putNull("note"));
    assertThat(p.sealed()).get().asString().startsWith("v1:").doesNotContain("tok-SECRET-1");
    assertThat(SecretParams.reveal(stored(p), Optional.of(cipher(1)))).isEqualTo(params());
  }

  @Test
  void without_a_secret_value_nothing_is_sealed_and_no_key_is_needed() {
    ObjectNode plain = JSON.createObjectNode().put("user", "ann");
    SecretParams p = SecretParams.split(LOGIN, plain, Optional.empty());
    assertThat(p.sealed()).isEmpty();
    assertThat(p.visible()).isEqualTo(plain);
    assertThat(SecretParams.reveal(stored(p), Optional.empty())).isEqualTo(plain);
  }

  @Test
  void a_secret_value_without_a_key_is_bad_input_naming_the_parameter_and_the_variable() {
    assertThatThrownBy(() -> SecretParams.split(LOGIN, params(), Optional.empty()))
        .isInstanceOf(TollgateException.class)
        .hasMessageContaining("parameter 'token' is writeOnly")
        .hasMessageContaining("TOLLGATE_SECRET_KEY")
        .hasMessageNotContaining("tok-SECRET-1")
        .extracting(e -> ((TollgateException) e).kind())
        .isEqualTo(TollgateException.Kind.BAD_INPUT);
  }

  @Test
  void revealing_without_the_key_or_with_another_says_so_and_what_to_do() {
    Run run = stored(SecretParams.split(LOGIN, params(), Optional.of(cipher(1))));
    assertThatThrownBy(() -> SecretParams.reveal(run, Optional.empty()))
        .hasMessageContaining("run 7 has secret (writeOnly) parameters sealed with key id")
        .hasMessageContaining("TOLLGATE_SECRET_KEY is not set")
        .hasMessageContaining("tollgate runs retry 7");
    assertThatThrownBy(() -> SecretParams.reveal(run, Optional.of(cipher(2))))
        .hasMessageContaining("run 7: the secret parameters were sealed with another key");
  }
}
