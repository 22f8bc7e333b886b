package dev.tollgate.core.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SchemaWordingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void names_the_expected_and_the_actual_value_of_each_keyword() throws Exception {
    assertThat(SchemaWording.expectation("type", json("[\"integer\", \"null\"]"), "'ten'"))
        .contains("must be an integer or empty but was 'ten'");
    assertThat(SchemaWording.expectation("enum", json("[\"low\", 2]"), "'x'"))
        .contains("must be one of low, 2 but was 'x'");
    assertThat(SchemaWording.expectation("minimum", json("1"), "'0'"))
        .contains("must be >= 1 but was '0'");
    assertThat(SchemaWording.expectation("exclusiveMaximum", json("9"), "'9'"))
        .contains("must be < 9 but was '9'");
    assertThat(SchemaWording.expectation("pattern", json("\"^[a-z]+$\""), "'A'"))
        .contains("must match ^[a-z]+$ but was 'A'");
    assertThat(SchemaWording.expectation("maxItems", json("3"), "a list"))
        .contains("must have at most 3 items");
    assertThat(SchemaWording.expectation("uniqueItems", json("true"), "a list"))
        .contains("must not list the same item twice");
  }

  @Test
  void a_minimum_length_of_one_reads_as_not_empty() throws Exception {
    assertThat(SchemaWording.expectation("minLength", json("1"), "''"))
        .contains("must not be empty but was ''");
    assertThat(SchemaWording.expectation("minLength", json("4"), "'ab'"))
        .contains("must be at least 4 characters long but was 'ab'");
  }

  @Test
  void leaves_keywords_without_a_wording_to_the_validators_message() {
    assertThat(SchemaWording.expectation("dependentRequired", null, "a mapping")).isEmpty();
    assertThat(SchemaWording.withoutPath("$.a.b: must be valid")).isEqualTo("must be valid");
    assertThat(SchemaWording.withoutPath("no location")).isEqualTo("no location");
  }

  @Test
  void a_missing_type_keyword_still_reads_as_a_sentence() {
    assertThat(SchemaWording.expectedType(null)).isEqualTo("of another type");
    assertThat(SchemaWording.expectedType(JSON.getNodeFactory().textNode("object")))
        .isEqualTo("a mapping");
  }
}
