package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schemas users read in {@code docs/schemas/} are the ones the loaders enforce: each
 * published copy must equal the class-path resource byte for byte.
 */
class PublishedSchemasTest {
  private static final Path DOCS =
      Path.of("..").toAbsolutePath().normalize().resolve("docs/schemas");

  private static final Map<String, String> PUBLISHED =
      Map.of(
          "deploy.schema.json", "/dev/tollgate/core/deploy/deploy.schema.json",
          "policy.schema.json", "/dev/tollgate/policy/policy.schema.json",
          "run-template.schema.json", "/dev/tollgate/core/runs/template/run-template.schema.json",
          "spec-kit-config.schema.json", "/dev/tollgate/speckit/spec-kit-config.schema.json",
          "work-item.schema.json", "/dev/tollgate/core/workitem/work-item.schema.json");

  @Test
  void every_published_schema_equals_the_one_the_loader_uses() throws IOException {
    for (Map.Entry<String, String> e : PUBLISHED.entrySet()) {
      String published = Files.readString(DOCS.resolve(e.getKey()), StandardCharsets.UTF_8);
      try (InputStream in = PublishedSchemasTest.class.getResourceAsStream(e.getValue())) {
        assertThat(in).as("resource " + e.getValue()).isNotNull();
        String used = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(published)
            .as(
                "docs/schemas/%s differs from %s; copy the resource over it",
                e.getKey(), e.getValue())
            .isEqualTo(used);
      }
    }
  }
}
