package dev.tollgate.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.controlplane.Demo;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate serve} as a real process: prints its URL, answers, stops on SIGTERM. */
class ServeProcessIT {
  private static final Path JAR = Path.of("target/tollgate.jar").toAbsolutePath();
  @TempDir Path dir;

  @Test
  void serve_prints_its_loopback_url_answers_the_api_and_stops_cleanly_on_sigterm()
      throws Exception {
    Demo.copy(dir);
    try (Database db = TestDatabase.freshSchema("serve_it", 2)) {
      Process serve =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-jar",
                      JAR.toString(),
                      "serve",
                      "--port",
                      "0",
                      "--user",
                      "alice",
                      "--database-url",
                      TestDatabase.settings().jdbcUrl() + "?user=" + TestDatabase.settings().user(),
                      "--schema",
                      db.schema(),
                      "--migrate",
                      "--dir",
                      dir.toString()))
              .redirectErrorStream(true)
              .start();
      try {
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).matches("Tollgate control plane at http://127\\.0\\.0\\.1:\\d+/");
        assertThat(out.readLine())
            .isEqualTo(
                "No sign-in on loopback: anyone on this machine acts as alice with every scope"
                    + " (the policy's gates still apply).");
        URI base = URI.create(first.substring(first.indexOf("http")));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health =
            http.send(
                HttpRequest.newBuilder(base.resolve("api/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).contains("\"database\":\"up\"");
        HttpResponse<String> item =
            http.send(
                HttpRequest.newBuilder(base.resolve("api/control-plane/items/wi-SF-104/actions"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(item.statusCode()).isEqualTo(200);
        assertThat(item.body()).contains("\"actor\":\"alice\"").contains("start-execution");

        serve.toHandle().destroy(); // SIGTERM, leaving our end of its output open
        assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out.readLine()).isEqualTo("stopping");
        assertThat(serve.exitValue()).isIn(0, 143);
      } finally {
        serve.destroyForcibly();
      }
    }
  }
}
