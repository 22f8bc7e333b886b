package dev.tollgate.actions.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the tests find the repository's files: golden files, the report schema in {@code docs/} and
 * the shared corpus next to the checkout; plus golden comparison and schema validation.
 */
final class TestFiles {

  static final ObjectMapper JSON = new ObjectMapper();
  private static JsonSchema reportSchema;
  private static JsonSchema sarifSchema;

  private TestFiles() {}

  /** The folder holding {@code mvnw}, found by walking up from the working directory. */
  static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.exists(dir.resolve("mvnw"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no mvnw above " + Path.of("").toAbsolutePath());
  }

  static Path goldenDir() {
    return projectRoot().resolve("actions/src/test/resources/golden");
  }

  /**
   * Compares output with {@code golden/<name>} byte for byte; with {@code -Dgolden.update=true}
   * writes the file instead.
   */
  static void assertGolden(String name, String actual) {
    Path file = goldenDir().resolve(name);
    try {
      if (Boolean.getBoolean("golden.update")) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
        return;
      }
      assertThat(file)
          .as("golden file %s is missing; run the tests with -Dgolden.update=true", file)
          .exists();
      assertThat(actual)
          .as(
              "output differs from %s; if the change is intended, rerun with -Dgolden.update=true",
              file)
          .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Violations of {@code docs/schemas/spec-kit-report.schema.json} (draft 2020-12). */
  static synchronized Set<ValidationMessage> reportSchemaErrors(String json) {
    if (reportSchema == null) {
      reportSchema =
          load(
              SpecVersion.VersionFlag.V202012,
              projectRoot().resolve("docs/schemas/spec-kit-report.schema.json"));
    }
    return reportSchema.validate(parse(json));
  }

  /** Where the SARIF 2.1.0 schema of the shared corpus is, whether or not it is there. */
  static Path sarifSchemaPath() {
    return projectRoot().resolve("../shared/corpus/sarif/sarif-schema-2.1.0.json").normalize();
  }

  /** The SARIF 2.1.0 schema in the shared corpus; skips the test when the corpus is absent. */
  static Path sarifSchemaFile() {
    Path file = sarifSchemaPath();
    Assumptions.assumeTrue(Files.exists(file), "corpus absent: " + file);
    return file;
  }

  /**
   * Violations of the OASIS SARIF 2.1.0 schema. The file declares draft-04 ({@code $schema} and
   * {@code id}), so it is read with the draft-04 dialect.
   */
  static synchronized Set<ValidationMessage> sarifSchemaErrors(String json) {
    Path file = sarifSchemaFile();
    if (sarifSchema == null) {
      sarifSchema = load(SpecVersion.VersionFlag.V4, file);
    }
    return sarifSchema.validate(parse(json));
  }

  private static JsonSchema load(SpecVersion.VersionFlag version, Path file) {
    try {
      JsonNode node = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
      SchemaValidatorsConfig config =
          SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
      return JsonSchemaFactory.getInstance(version).getSchema(node, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
