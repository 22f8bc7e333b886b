package dev.tollgate.core.runs.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.TollgateException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsCipherTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static byte[] key(int fill) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) fill);
    return k;
  }

  private static ObjectNode secrets() {
    ObjectNode o = JSON.createObjectNode();
    o.put("api_token", "s3cr3t-T0ken");
    o.putArray("hosts").add("a").add("b");
    return o;
  }

  @Test
  void sealed_values_open_again_and_do_not_show_in_the_sealed_text() {
    ParamsCipher c = ParamsCipher.of(key(1));
    String sealed = c.seal(secrets(), "login");
    assertThat(sealed).startsWith("v1:" + c.keyId() + ":").doesNotContain("s3cr3t");
    assertThat(c.open(sealed, "login")).isEqualTo(secrets());
  }

  @Test
  void sealing_twice_gives_different_texts_because_each_has_its_own_nonce() {
    ParamsCipher c = ParamsCipher.of(key(1));
    assertThat(c.seal(secrets(), "login")).isNotEqualTo(c.seal(secrets(), "login"));
  }

  @Test
  void another_key_is_named_by_its_id_and_never_decrypts() {
    String sealed = ParamsCipher.of(key(1)).seal(secrets(), "login");
    ParamsCipher other = ParamsCipher.of(key(2));
    assertThat(ParamsCipher.keyIdOf(sealed)).contains(ParamsCipher.of(key(1)).keyId());
    assertThatThrownBy(() -> other.open(sealed, "login"))
        .isInstanceOf(TollgateException.class)
        .hasMessageContaining("another key")
        .hasMessageContaining(other.keyId())
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void an_altered_text_or_another_template_does_not_open() {
    ParamsCipher c = ParamsCipher.of(key(1));
    String sealed = c.seal(secrets(), "login");
    assertThatThrownBy(() -> c.open(sealed, "logout"))
        .hasMessageContaining("altered, or sealed for a run of another template");
    char last = sealed.charAt(sealed.length() - 3);
    String altered =
        sealed.substring(0, sealed.length() - 3)
            + (last == 'A' ? 'B' : 'A')
            + sealed.substring(sealed.length() - 2);
    assertThatThrownBy(() -> c.open(altered, "login")).isInstanceOf(TollgateException.class);
    assertThatThrownBy(() -> c.open("plain text", "login"))
        .hasMessageContaining("not in the sealed format");
  }

  @Test
  void the_key_comes_from_the_environment_in_base64_and_a_bad_one_is_not_echoed() {
    String b64 = Base64.getEncoder().encodeToString(key(3));
    assertThat(ParamsCipher.fromEnvironment(Map.of())).isEmpty();
    assertThat(ParamsCipher.fromEnvironment(Map.of(ParamsCipher.KEY_VARIABLE, " "))).isEmpty();
    assertThat(ParamsCipher.fromEnvironment(Map.of(ParamsCipher.KEY_VARIABLE, b64 + "\n")))
        .get()
        .extracting(ParamsCipher::keyId)
        .isEqualTo(ParamsCipher.of(key(3)).keyId());
    String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(key(0xfb));
    assertThat(ParamsCipher.parse(urlSafe).keyId()).isEqualTo(ParamsCipher.of(key(0xfb)).keyId());
    assertThatThrownBy(() -> ParamsCipher.parse("hunter2!"))
        .isInstanceOf(TollgateException.class)
        .hasMessageContaining(ParamsCipher.KEY_VARIABLE)
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> ParamsCipher.parse(Base64.getEncoder().encodeToString(new byte[16])))
        .hasMessageContaining("decodes to 16 bytes");
  }

  @Test
  void to_string_shows_the_key_id_only() {
    ParamsCipher c = ParamsCipher.of(key(1));
    assertThat(c).hasToString("ParamsCipher[key id " + c.keyId() + "]");
    assertThat(c.keyId()).matches("[0-9a-f]{8}");
  }
}
