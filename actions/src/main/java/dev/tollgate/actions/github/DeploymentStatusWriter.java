package dev.tollgate.actions.github;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Posts deployment statuses ({@code POST /repos/{owner}/{repo}/deployments/{id}/statuses}) itself:
 * hub4j 1.330 writes the state {@code IN_PROGRESS} as {@code in-progress}, which GitHub does not
 * accept, so the documented {@code in_progress} is sent here.
 */
final class DeploymentStatusWriter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI apiUrl;
  private final GithubToken token;
  private final Duration timeout;
  private final String userAgent;
  private final HttpClient http;

  /** A writer for the API at {@code apiUrl}. */
  public DeploymentStatusWriter(URI apiUrl, GithubToken token, Duration timeout, String userAgent) {
    this.apiUrl = apiUrl;
    this.token = token;
    this.timeout = timeout;
    this.userAgent = userAgent;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /**
   * Posts one status; false on 403 (the token may not), an exception of kind COULD_NOT_FINISH on
   * any other failure. Retried once on 502/503/504 (a status is idempotent enough: the latest
   * wins).
   */
  public boolean post(
      RepositoryName repository,
      long deploymentId,
      String state,
      Optional<String> logUrl,
      String description) {
    ObjectNode body = JSON.createObjectNode();
    body.put("state", state);
    logUrl.ifPresent(u -> body.put("log_url", u));
    body.put(
        "description",
        description.length() > 140 ? description.substring(0, 139) + "…" : description);
    body.put("auto_inactive", true);
    String base = apiUrl.toString().replaceAll("/+$", "");
    URI uri =
        URI.create(base + "/repos/" + repository + "/deployments/" + deploymentId + "/statuses");
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Authorization", "Bearer " + token.value())
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28")
            .header("User-Agent", userAgent)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status / 100 == 2) {
          return true;
        }
        if (status == 403) {
          return false;
        }
        if (attempt < 2 && (status == 502 || status == 503 || status == 504)) {
          continue;
        }
        throw new TollgateException(
            TollgateException.Kind.COULD_NOT_FINISH,
            "setting deployment " + deploymentId + " to " + state + ": HTTP " + status);
      } catch (IOException e) {
        if (attempt < 2) {
          continue;
        }
        throw new TollgateException(
            TollgateException.Kind.COULD_NOT_FINISH,
            "setting deployment " + deploymentId + " to " + state + ": " + e.getMessage(),
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
