package dev.tollgate.actions.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Paginated {@code GET} lists read as plain JSON through {@link GithubHttp} (and so its retries and
 * limits): 100 items per page, pages followed by their {@code Link: <…>; rel="next"} header.
 */
final class JsonLists {
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  private final GithubHttp http;

  JsonLists(GithubHttp http) {
    this.http = http;
  }

  /**
   * Every item of the list at {@code path} (below the API root, e.g. {@code
   * /repos/o/r/pulls/7/reviews}), page after page, at most {@code max} items (then stops asking).
   *
   * @throws IOException a {@link GithubHttp.Failure} with the status and body for an error answer
   */
  List<JsonNode> list(String path, int max) throws IOException {
    return list(path, max, null);
  }

  /**
   * As {@link #list(String, int)}, for a list whose pages are objects holding the items in {@code
   * field} (as {@code check_runs} in {@code GET .../check-runs}); a plain JSON list when null.
   */
  List<JsonNode> list(String path, int max, String field) throws IOException {
    List<JsonNode> items = new ArrayList<>();
    String url = path + (path.contains("?") ? "&" : "?") + "per_page=100";
    while (url != null && items.size() < max) {
      GithubHttp.Response r = http.send("GET", url, null);
      JsonNode page;
      try {
        page = RestRepository.JSON.readTree(r.body());
      } catch (JsonProcessingException e) {
        throw new IOException("GET " + url + " did not answer with JSON", e);
      }
      if (page != null && field != null) {
        page = page.get(field);
      }
      if (page == null || !page.isArray()) {
        throw new IOException("GET " + url + " did not answer with a JSON list");
      }
      page.forEach(items::add);
      url = next(r.header("Link")).orElse(null);
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
}
