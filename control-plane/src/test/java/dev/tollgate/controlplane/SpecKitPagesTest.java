package dev.tollgate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spec Kit view on the demo project: validation status per feature with findings linked to
 * their rules, over the API and as a page, and a new feature generated as a zip download without
 * touching the project.
 */
class SpecKitPagesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OpenApiDocument OPEN_API = OpenApiDocument.load();

  @TempDir Path dir;
  private ControlPlaneServer server;
  private Demo.Client client;
  private Path project;

  @BeforeEach
  void serve() {
    project = Demo.copy(dir.resolve("project"));
    server =
        ControlPlaneServer.start(
            ControlPlane.builder()
                .specKit(project)
                .authenticator(Authenticator.loopback("alice"))
                .build(),
            "127.0.0.1",
            0,
            "");
    client = new Demo.Client(server.uri());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void every_feature_has_a_status_and_its_findings_over_the_api() throws Exception {
    HttpResponse<String> r = client.send(client.get("/api/spec-kit"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(OPEN_API.problems(r)).isEmpty();
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("errors").asInt()).isPositive();
    List<String> failing = new ArrayList<>();
    body.get("features")
        .forEach(
            f -> {
              if (f.get("status").asText().equals("errors")) {
                failing.add(f.get("path").asText());
                assertThat(f.get("findings").get(0).get("line").isInt()).isTrue();
              }
            });
    assertThat(failing).anyMatch(p -> p.contains("refund-api"));
  }

  @Test
  void the_page_shows_each_feature_and_offers_a_new_one_as_a_zip_that_changes_nothing()
      throws Exception {
    HttpResponse<String> page = client.send(client.get("/spec-kit"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("<a href=\"/spec-kit\" aria-current=\"page\">Spec Kit</a>")
        .contains("refund-api")
        .contains("errors,");
    String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
    assertThat(m.find()).isTrue();

    HttpResponse<byte[]> zip =
        client
            .http()
            .send(
                client
                    .get("/spec-kit/init")
                    .header("Cookie", cookie)
                    .header("Sec-Fetch-Site", "same-origin")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "csrf="
                                + m.group(1)
                                + "&name=gift-cards&layout=github&goals="
                                + URLEncoder.encode(
                                    "Sell gift cards\nRedeem them", StandardCharsets.UTF_8)))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());

    assertThat(zip.statusCode()).isEqualTo(200);
    assertThat(zip.headers().firstValue("Content-Type")).hasValue("application/zip");
    List<String> names = new ArrayList<>();
    String spec = "";
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
        if (e.getName().endsWith("/spec.md")) {
          spec = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    assertThat(names).allMatch(n -> n.matches("specs/\\d{3}-gift-cards/.+\\.md"));
    assertThat(names).anyMatch(n -> n.endsWith("/tasks.md"));
    assertThat(spec).contains("Redeem them");
    assertThat(project.resolve("specs").toFile().list()).noneMatch(n -> n.contains("gift-cards"));
  }
}
