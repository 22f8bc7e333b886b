package dev.tollgate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The OpenAPI document kept in {@code docs/openapi.json}, and checks of responses against it. */
final class OpenApiDocument {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String BASE = "https://tollgate.test/openapi.json";
  static final Path DOC = Path.of("..", "docs", "openapi.json");

  private final JsonNode document;
  private final JsonSchemaFactory schemas;

  private OpenApiDocument(JsonNode document, JsonSchemaFactory schemas) {
    this.document = document;
    this.schemas = schemas;
  }

  static OpenApiDocument load() {
    try {
      String text = Files.readString(DOC);
      return new OpenApiDocument(
          JSON.readTree(text),
          JsonSchemaFactory.getInstance(
              SpecVersion.VersionFlag.V202012,
              b -> b.schemaLoaders(l -> l.schemas(Map.of(BASE, text)))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonNode document() {
    return document;
  }

  /**
   * The response's body as JSON, once its status is {@code status} and it fits this document (the
   * test fails otherwise, saying which request and what came back).
   */
  JsonNode answer(HttpResponse<String> r, int status) throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(problems(r)).as("%s: %s", r.request().uri(), r.body()).isEmpty();
    return JSON.readTree(r.body());
  }

  /** The schema at {@code pointer} (e.g. {@code /components/schemas/Run}) of the document. */
  JsonSchema schema(String pointer) {
    return schemas.getSchema(SchemaLocation.of(BASE + "#" + pointer));
  }

  /**
   * What is wrong with {@code body} as the response of {@code method template} with {@code status}:
   * an undocumented operation or status, or the schema's complaints; empty when it fits.
   */
  List<String> problems(String template, String method, int status, String body) {
    JsonNode path = document.get("paths").get(template);
    JsonNode operation = path == null ? null : path.get(method);
    if (operation == null) {
      return List.of(method + " " + template + " is not documented");
    }
    JsonNode declared = operation.get("responses").get(String.valueOf(status));
    if (declared == null) {
      return List.of(method + " " + template + " does not document status " + status);
    }
    String pointer;
    if (declared.has("$ref")) {
      pointer = declared.get("$ref").asText().substring(1) + "/content/application~1json/schema";
    } else {
      pointer =
          "/paths/"
              + template.replace("~", "~0").replace("/", "~1")
              + "/"
              + method
              + "/responses/"
              + status
              + "/content/application~1json/schema";
    }
    try {
      Set<ValidationMessage> errors = schema(pointer).validate(JSON.readTree(body));
      return errors.stream().map(ValidationMessage::getMessage).toList();
    } catch (IOException e) {
      return List.of("not JSON: " + e.getMessage());
    }
  }

  /**
   * What is wrong with {@code response} under the operation its request's path and method match.
   */
  List<String> problems(HttpResponse<String> response) {
    String method = response.request().method().toLowerCase(java.util.Locale.ROOT);
    String path = response.request().uri().getPath();
    List<String> matches = new java.util.ArrayList<>();
    document
        .get("paths")
        .fieldNames()
        .forEachRemaining(
            t -> {
              if (path.matches(t.replaceAll("\\{[a-zA-Z]+\\}", "[^/]+"))) {
                matches.add(t);
              }
            });
    if (matches.contains(path)) {
      // OpenAPI: a concrete path matches before a templated one of the same shape.
      matches.retainAll(List.of(path));
    }
    if (matches.size() != 1) {
      return List.of(path + " matches " + matches + " of the documented paths, not exactly one");
    }
    return problems(matches.get(0), method, response.statusCode(), response.body());
  }
}
