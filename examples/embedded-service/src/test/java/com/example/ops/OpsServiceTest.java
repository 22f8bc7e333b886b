package com.example.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example service starts, keeps its own pages, and serves Tollgate under /ops for its users.
 */
class OpsServiceTest {
  @TempDir Path dir;
  private OpsService service;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    Path demo = Path.of("..", "demo").toAbsolutePath().normalize();
    try (Stream<Path> files = Files.walk(demo)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path to = dir.resolve(demo.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    service = OpsService.start(dir, 0);
  }

  @AfterEach
  void stop() throws Exception {
    service.close();
  }

  private HttpRequest.Builder request(String path, String user) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path));
    if (user != null) {
      String credentials = user + ":" + user + "-password";
      b.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return b;
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void the_service_keeps_its_own_pages_and_mounts_the_console_under_ops() throws Exception {
    assertThat(send(request("/", null)).body()).startsWith("Example service.");
    HttpResponse<String> health = send(request("/ops/api/health", null));
    assertThat(health.statusCode()).isEqualTo(200);
    HttpResponse<String> board = send(request("/ops/", "alice"));
    assertThat(board.statusCode()).isEqualTo(200);
    assertThat(board.body()).contains("href=\"/ops/items/wi-SF-104\"");
  }

  @Test
  void the_services_own_users_are_the_actors_and_strangers_are_refused() throws Exception {
    assertThat(send(request("/ops/api/control-plane/board", null)).statusCode()).isEqualTo(401);

    HttpResponse<String> session = send(request("/ops/api/session", "alice"));
    Matcher token = Pattern.compile("\"csrfToken\":\"([^\"]+)\"").matcher(session.body());
    assertThat(token.find()).isTrue();
    String cookie = session.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

    HttpResponse<String> performed =
        send(
            request("/ops/api/control-plane/items/wi-SF-104/actions/start-execution", "alice")
                .header("Content-Type", "application/json")
                .header("Sec-Fetch-Site", "same-origin")
                .header("Cookie", cookie)
                .header("X-Tollgate-CSRF", token.group(1))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(performed.statusCode()).as(performed.body()).isEqualTo(200);
    assertThat(performed.body()).contains("\"actor\":\"alice\"");
    assertThat(Files.readString(dir.resolve("work-items/wi-SF-104.yml")))
        .contains("lane: in-progress");

    HttpResponse<String> viewer =
        send(
            request("/ops/api/control-plane/items/wi-SF-103/actions/start-execution", "viewer")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(viewer.statusCode()).isEqualTo(403);
  }
}
