package dev.tollgate.actions.github;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Posts deployment statuses ({@code POST /repos/{owner}/{repo}/deployments/{id}/statuses}) with the
 * states as GitHub documents them ({@code in_progress}, not {@code in-progress}), trying once more
 * after a 5xx or a lost answer: a status is idempotent enough, the latest wins.
 */
final class DeploymentStatusWriter {
  private final GithubHttp http;

  /** A writer sending through {@code http} (one attempt per try, its own retry below). */
  DeploymentStatusWriter(GithubHttp http) {
    this.http = http;
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
    ObjectNode body = RestRepository.JSON.createObjectNode();
    body.put("state", state);
    logUrl.ifPresent(u -> body.put("log_url", u));
    body.put(
        "description",
        description.length() > 140 ? description.substring(0, 139) + "…" : description);
    body.put("auto_inactive", true);
    String url =
        http.endpoint() + "/repos/" + repository + "/deployments/" + deploymentId + "/statuses";
    byte[] json = body.toString().getBytes(StandardCharsets.UTF_8);
    for (int attempt = 1; ; attempt++) {
      try {
        int status = http.exchange("POST", url, json, true).status();
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
      }
    }
  }
}
