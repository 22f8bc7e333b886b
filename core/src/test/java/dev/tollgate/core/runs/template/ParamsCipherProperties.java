package dev.tollgate.core.runs.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class ParamsCipherProperties {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ParamsCipher CIPHER = ParamsCipher.of(new byte[32]);

  @Property(tries = 300)
  void what_is_sealed_opens_to_the_same_values(
      @ForAll @Size(max = 5) Map<@StringLength(max = 10) String, String> values,
      @ForAll @StringLength(min = 1, max = 20) String template) {
    ObjectNode node = JSON.valueToTree(values);
    assertThat(CIPHER.open(CIPHER.seal(node, template), template)).isEqualTo(node);
  }

  @Property(tries = 300)
  void the_sealed_text_never_holds_a_value(@ForAll @StringLength(min = 6, max = 40) String secret) {
    ObjectNode node = JSON.createObjectNode().put("p", secret);
    assertThat(CIPHER.seal(node, "t")).doesNotContain(secret);
  }
}
