package dev.tollgate.actions.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * Paginated {@code GET} lists read as plain JSON, through the same connector (and so the same
 * retries and limits) as hub4j, for the lists where hub4j would make requests of its own per item:
 * hub4j's review objects read each reviewer's profile ({@code GET /users/{login}}) to name the
 * reviewer, while the list already carries the login.
 *
 * <p>Pages are followed by their {@code Link: <…>; rel="next"} header, 100 items per page.
 */
final class JsonLists {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  private final GitHubConnector connector;
  private final String apiUrl;
  private final GithubToken token;

  JsonLists(GitHubConnector connector, String apiUrl, GithubToken token) {
    this.connector = connector;
    this.apiUrl = apiUrl;
    this.token = token;
  }

  /**
   * Every item of the list at {@code path} (below the API root, e.g. {@code
   * /repos/o/r/pulls/7/reviews}), page after page, at most {@code max} items (then stops asking).
   *
   * @throws IOException as hub4j would throw it: an {@link HttpException} with the status and body
   *     for an error answer
   */
  List<JsonNode> list(String path, int max) throws IOException {
    List<JsonNode> items = new ArrayList<>();
    URL url = url(apiUrl + path + (path.contains("?") ? "&" : "?") + "per_page=100");
    while (url != null && items.size() < max) {
      try (GitHubConnectorResponse r = connector.send(new Get(url, token))) {
        byte[] body = read(r);
        if (r.statusCode() >= 400) {
          throw new HttpException(
              new String(body, StandardCharsets.UTF_8),
              r.statusCode(),
              Integer.toString(r.statusCode()),
              url.toString());
        }
        JsonNode page = JSON.readTree(body);
        if (page == null || !page.isArray()) {
          throw new IOException("GET " + url + " did not answer with a JSON list");
        }
        page.forEach(items::add);
        url = next(r.header("Link")).map(JsonLists::url).orElse(null);
      }
    }
    return items.size() > max ? items.subList(0, max) : items;
  }

  static Optional<String> next(String link) {
    if (link == null) {
      return Optional.empty();
    }
    for (String part : link.split(",")) {
      Matcher m = NEXT.matcher(part.strip());
      if (m.find()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  private static byte[] read(GitHubConnectorResponse r) throws IOException {
    try (InputStream in = r.bodyStream()) {
      return in == null ? new byte[0] : in.readAllBytes();
    }
  }

  private static URL url(String text) {
    try {
      return URI.create(text).toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalStateException("not a URL: " + text, e);
    }
  }

  /** A plain GET with the token and GitHub's JSON media type. */
  private static final class Get implements GitHubConnectorRequest {
    private final URL url;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();

    Get(URL url, GithubToken token) {
      this.url = url;
      headers.put("Authorization", List.of("Bearer " + token.value()));
      headers.put("Accept", List.of("application/vnd.github+json"));
      headers.put("X-GitHub-Api-Version", List.of("2022-11-28"));
    }

    @Override
    public String method() {
      return "GET";
    }

    @Override
    public Map<String, List<String>> allHeaders() {
      return headers;
    }

    @Override
    public String header(String name) {
      for (Map.Entry<String, List<String>> h : headers.entrySet()) {
        if (h.getKey().equalsIgnoreCase(name)) {
          return String.join(",", h.getValue());
        }
      }
      return null;
    }

    @Override
    public String contentType() {
      return null;
    }

    @Override
    public InputStream body() {
      return null;
    }

    @Override
    public URL url() {
      return url;
    }

    @Override
    public boolean hasBody() {
      return false;
    }
  }
}
