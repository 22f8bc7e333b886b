package dev.tollgate.actions.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.actions.github.GithubApiException.Reason;
import java.io.IOException;
import java.util.Locale;

/** Turns the transport's I/O exceptions into {@link GithubApiException}s that say what and why. */
final class Failures {
  private Failures() {}

  /** The failure of {@code operation} that {@code e} reports. */
  static GithubApiException of(String operation, IOException e) {
    if (e instanceof GithubHttp.Failure h) {
      int status = h.status();
      if (status == 404) {
        return new GithubApiException(operation, Reason.NOT_FOUND, 404, "Not Found", e);
      }
      String message = githubMessage(h.body());
      String lower = (message + " " + h.body()).toLowerCase(Locale.ROOT);
      Reason reason;
      if (status == 401) {
        reason = Reason.UNAUTHORIZED;
      } else if (status == 429
          || (status == 403 && (lower.contains("rate limit") || lower.contains("abuse")))) {
        reason = Reason.RATE_LIMITED;
      } else if (status == 403) {
        reason = Reason.FORBIDDEN;
      } else if (status >= 500) {
        reason = Reason.SERVER_ERROR;
      } else {
        reason = Reason.REJECTED;
      }
      return new GithubApiException(operation, reason, status, message, e);
    }
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new GithubApiException(operation, Reason.UNREACHABLE, -1, text, e);
  }

  /** GitHub's {@code message} from an error body, or the first line of the text otherwise. */
  static String githubMessage(String body) {
    if (body == null || body.isBlank()) {
      return "no message";
    }
    try {
      JsonNode node = EventPayload.MAPPER.readTree(body);
      if (node != null && node.hasNonNull("message")) {
        return node.get("message").asText();
      }
    } catch (IOException notJson) {
      // Fall through to the text itself.
    }
    String first = body.strip().lines().findFirst().orElse("");
    return first.length() > 200 ? first.substring(0, 200) + "…" : first;
  }
}
