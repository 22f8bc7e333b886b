package dev.tollgate.actions.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.actions.github.GithubApiException.Reason;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Locale;
import org.kohsuke.github.GHException;
import org.kohsuke.github.HttpException;

/** Turns hub4j's I/O exceptions into {@link GithubApiException}s that say what failed and why. */
final class Failures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Failures() {}

  /** The failure of {@code operation} that {@code e} reports. */
  static GithubApiException of(String operation, IOException e) {
    if (e instanceof HttpException h && h.getResponseCode() > 0) {
      int status = h.getResponseCode();
      String message = githubMessage(h.getMessage());
      String lower = (message + " " + h.getMessage()).toLowerCase(Locale.ROOT);
      Reason reason;
      if (status == 401) {
        reason = Reason.UNAUTHORIZED;
      } else if (status == 429
          || (status == 403 && (lower.contains("rate limit") || lower.contains("abuse")))) {
        reason = Reason.RATE_LIMITED;
      } else if (status == 403) {
        reason = Reason.FORBIDDEN;
      } else if (status == 404) {
        reason = Reason.NOT_FOUND;
      } else if (status >= 500) {
        reason = Reason.SERVER_ERROR;
      } else {
        reason = Reason.REJECTED;
      }
      return new GithubApiException(operation, reason, status, message, e);
    }
    if (e instanceof FileNotFoundException) {
      return new GithubApiException(operation, Reason.NOT_FOUND, 404, "Not Found", e);
    }
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new GithubApiException(operation, Reason.UNREACHABLE, -1, text, e);
  }

  /**
   * The failure {@code e} reports: hub4j's paged lists throw this unchecked wrapper around the I/O
   * exception of the page that failed.
   */
  static GithubApiException of(String operation, GHException e) {
    return of(
        operation,
        e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e));
  }

  /** GitHub's {@code message} from an error body, or the first line of the text otherwise. */
  static String githubMessage(String body) {
    if (body == null || body.isBlank()) {
      return "no message";
    }
    try {
      JsonNode node = JSON.readTree(body);
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
