package dev.tollgate.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Test helpers: a private copy of the bundled demo project, and a small HTTP client. */
public final class Demo {
  private Demo() {}

  /** Copies {@code examples/demo} (policy, templates, work items) into {@code target}. */
  public static Path copy(Path target) {
    Path source = Path.of("..", "examples", "demo").toAbsolutePath().normalize();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path to = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  /** A client for one server. */
  static final class Client {
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;

    Client(URI base) {
      this.base = base;
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
      try {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** The underlying client, for bodies that are not text. */
    HttpClient http() {
      return http;
    }

    HttpRequest.Builder get(String path) {
      return HttpRequest.newBuilder(base.resolve(path.substring(1))).GET();
    }

    HttpRequest.Builder postJson(String path, String body) {
      return HttpRequest.newBuilder(base.resolve(path.substring(1)))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /**
     * A console form posted as a browser on the same origin posts it: the session's cookie, {@code
     * Sec-Fetch-Site: same-origin} and an URL-encoded body.
     */
    HttpRequest.Builder sameOriginForm(String path, String cookie, String body) {
      return get(path)
          .header("Cookie", cookie)
          .header("Sec-Fetch-Site", "same-origin")
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** An URL-encoded form body from field names and values, in turn. */
    static String formBody(String... namesAndValues) {
      StringBuilder body = new StringBuilder();
      for (int i = 0; i < namesAndValues.length; i += 2) {
        if (i > 0) {
          body.append('&');
        }
        body.append(namesAndValues[i])
            .append('=')
            .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
      }
      return body.toString();
    }
  }
}
