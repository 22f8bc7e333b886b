package dev.tollgate.core.runs.template.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {
  @Test
  void finds_references_and_malformed_placeholders() {
    Placeholders.Scan scan = Placeholders.scan("a ${params.id} b $${params.x} ${env.HOME} ${oops");
    assertThat(scan.references()).containsExactly(new Placeholders.Reference("id", 2));
    assertThat(scan.problems())
        .containsExactly(
            "'${env.HOME}' is not a placeholder Tollgate knows; write ${params.NAME}, or $${ for a"
                + " literal ${",
            "'${' at character 43 is not closed; write ${params.NAME}, or $${ for a literal ${");
  }

  @Test
  void substitutes_values_and_unescapes_literals() {
    Map<String, String> values = Map.of("id", "42", "name", "a b");
    assertThat(
            Placeholders.substitute("/x/${params.id}/${params.name}?q=$${params.id}", values::get))
        .isEqualTo("/x/42/a b?q=${params.id}");
  }

  @Test
  void value_function_failures_propagate() {
    assertThatThrownBy(
            () ->
                Placeholders.substitute(
                    "${params.x}",
                    n -> {
                      throw new IllegalArgumentException("no " + n);
                    }))
        .hasMessage("no x");
  }

  @Test
  void percent_encoding_keeps_only_unreserved_characters() {
    assertThat(Placeholders.percentEncode("a b/c?d&e=f#g%h+é~_.-"))
        .isEqualTo("a%20b%2Fc%3Fd%26e%3Df%23g%25h%2B%C3%A9~_.-");
  }

  @Property(tries = 500)
  void percent_encoded_values_decode_back_and_hold_no_url_delimiter(@ForAll String value) {
    String encoded = Placeholders.percentEncode(value);
    assertThat(encoded).matches("[A-Za-z0-9._~%-]*");
    String wellFormed = new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).isEqualTo(wellFormed);
  }

  @Test
  void environment_names_are_upper_case_with_underscores() {
    assertThat(ParamValues.envName("replica-count")).isEqualTo("TOLLGATE_PARAM_REPLICA_COUNT");
    assertThat(ParamValues.envName("dry.run")).isEqualTo("TOLLGATE_PARAM_DRY_RUN");
    assertThat(ParamValues.envName("id")).isEqualTo("TOLLGATE_PARAM_ID");
    assertThat(ParamValues.envName("1st")).isEqualTo("TOLLGATE_PARAM_1ST");
  }
}
