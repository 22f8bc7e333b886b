package dev.tollgate.actions.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.repo.ChangeType;
import dev.tollgate.core.repo.ChangedFile;
import dev.tollgate.core.repo.CommitInfo;
import dev.tollgate.core.repo.RepositoryView;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One repository through the GitHub REST API: every call Tollgate makes, as plain JSON over {@link
 * GithubHttp}, with failures turned into {@link GithubApiException}s that name the operation.
 *
 * <p>Answers are read as Jackson trees, only the fields Tollgate uses: no object model is bound,
 * which on a cold JVM costs more than the requests themselves.
 */
final class RestRepository {
  static final ObjectMapper JSON = EventPayload.MAPPER;

  /** GitHub takes at most this many annotations per check-run request. */
  static final int MAX_ANNOTATIONS_PER_REQUEST = 50;

  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

  private final GithubHttp http;
  private final JsonLists lists;
  private final RepositoryName name;
  private final OptionalInt payloadPullRequest;
  private String path;
  private final Map<Integer, JsonNode> pullRequests = new HashMap<>();

  /**
   * The repository {@code name} reached through {@code http}; {@code payload}, when it holds this
   * repository, addresses requests without reading the repository (and the event's pull request)
   * from the API first.
   */
  RestRepository(GithubHttp http, RepositoryName name, Optional<PayloadObjects> payload) {
    this.http = http;
    this.lists = new JsonLists(http);
    this.name = name;
    Optional<PayloadObjects> own = payload.filter(p -> p.isOf(name));
    this.path = own.map(p -> "/repos/" + p.owner() + "/" + p.name()).orElse(null);
    this.payloadPullRequest = own.map(PayloadObjects::pullRequest).orElse(OptionalInt.empty());
  }

  /**
   * The repository's API path, {@code /repos/{owner}/{name}}: from the payload, else as {@code GET
   * /repos/{owner}/{name}} names it (once), which also fails early for a repository that is not
   * there.
   */
  private String repository() {
    if (path == null) {
      JsonNode r;
      try {
        r = get("/repos/" + name);
      } catch (IOException e) {
        throw Failures.of("reading repository " + name, e);
      }
      String owner = text(r.path("owner").path("login"));
      String repo = text(r.path("name"));
      path = owner == null || repo == null ? "/repos/" + name : "/repos/" + owner + "/" + repo;
    }
    return path;
  }

  private JsonNode get(String pathOrUrl) throws IOException {
    return read(http.send("GET", pathOrUrl, null));
  }

  private JsonNode send(String method, String pathOrUrl, JsonNode body) throws IOException {
    return read(http.send(method, pathOrUrl, JSON.writeValueAsBytes(body)));
  }

  private static JsonNode read(GithubHttp.Response r) throws IOException {
    if (r.body().length == 0) {
      return JSON.missingNode();
    }
    try {
      JsonNode n = JSON.readTree(r.body());
      return n == null ? JSON.missingNode() : n;
    } catch (JsonProcessingException e) {
      throw new IOException("GitHub answered with something other than JSON", e);
    }
  }

  /** The text of {@code n}, or null when it is absent or JSON null. */
  static String text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
  }

  private static String textOr(JsonNode n, String otherwise) {
    String t = text(n);
    return t == null ? otherwise : t;
  }

  /**
   * The login the token acts as (GET /user), or empty when GitHub will not say: a GitHub App
   * installation token, such as a workflow's {@code GITHUB_TOKEN}, gets 403 there.
   */
  public Optional<String> authenticatedLogin() {
    try {
      return Optional.ofNullable(text(get("/user").path("login")));
    } catch (IOException e) {
      GithubApiException f = Failures.of("reading the token's user (GET /user)", e);
      if (f.reason() == GithubApiException.Reason.FORBIDDEN) {
        return Optional.empty();
      }
      throw f;
    }
  }

  /**
   * The API path of pull request {@code number}: the event's own needs no request, another is read
   * from the API first (as it would be to address it).
   */
  private String pullPath(int number) {
    if (payloadPullRequest.isEmpty() || payloadPullRequest.getAsInt() != number) {
      pullRequest(number);
    }
    return repository() + "/pulls/" + number;
  }

  private String issuePath(int number) {
    if (payloadPullRequest.isEmpty() || payloadPullRequest.getAsInt() != number) {
      pullRequest(number);
    }
    return repository() + "/issues/" + number;
  }

  /** The pull request as the API shows it now (one request, then kept). */
  private JsonNode pullRequest(int number) {
    JsonNode pr = pullRequests.get(number);
    if (pr == null) {
      String repo = repository();
      try {
        pr = get(repo + "/pulls/" + number);
      } catch (IOException e) {
        throw Failures.of("reading pull request #" + number + " of " + name, e);
      }
      pullRequests.put(number, pr);
    }
    return pr;
  }

  /** The pull request's head commit now (one request, without its files and reviews). */
  public String headSha(int number) {
    return text(pullRequest(number).path("head").path("sha"));
  }

  /** The pull request as the API shows it now: refs, title and labels (one request). */
  public PullRequestSnapshot snapshot(int number) {
    JsonNode pr = pullRequest(number);
    Set<String> labels = new TreeSet<>();
    for (JsonNode l : pr.path("labels")) {
      String label = text(l.path("name"));
      if (label != null) {
        labels.add(label);
      }
    }
    JsonNode head = pr.path("head");
    JsonNode base = pr.path("base");
    return new PullRequestSnapshot(
        number,
        textOr(pr.path("title"), ""),
        textOr(pr.path("state"), "open").toLowerCase(Locale.ROOT),
        text(head.path("ref")),
        text(head.path("sha")),
        Optional.ofNullable(text(head.path("repo").path("full_name"))),
        text(base.path("ref")),
        text(base.path("sha")),
        labels);
  }

  /**
   * The pull request's changed files, paginated; empty when GitHub cannot list them all (it lists
   * at most {@value GithubClient#MAX_LISTED_FILES}, and stops there without saying so).
   */
  public Optional<List<ChangedFile>> files(int number) {
    List<JsonNode> listed;
    try {
      listed = lists.list(pullPath(number) + "/files", GithubClient.MAX_LISTED_FILES);
    } catch (IOException e) {
      throw Failures.of("listing the files of pull request #" + number + " of " + name, e);
    }
    // A full list may be a cut one.
    if (listed.size() >= GithubClient.MAX_LISTED_FILES) {
      return Optional.empty();
    }
    List<ChangedFile> files = new ArrayList<>(listed.size());
    for (JsonNode f : listed) {
      files.add(changedFile(f));
    }
    return Optional.of(files);
  }

  /**
   * The messages of the pull request's commits, newest first; empty when GitHub cannot list them
   * all (over {@value GithubClient#MAX_LISTED_COMMITS}).
   */
  public Optional<List<String>> commitMessages(int number) {
    List<String> messages = new ArrayList<>();
    try {
      for (JsonNode c : lists.list(pullPath(number) + "/commits", Integer.MAX_VALUE)) {
        messages.add(text(c.path("commit").path("message")));
      }
    } catch (IOException e) {
      throw Failures.of("listing the commits of pull request #" + number + " of " + name, e);
    }
    if (messages.size() >= GithubClient.MAX_LISTED_COMMITS) {
      return Optional.empty();
    }
    Collections.reverse(messages); // newest first, as PullRequestFacts wants them
    return Optional.of(messages);
  }

  /**
   * Approvals as GitHub counts them for branch protection: per reviewer, the latest review that
   * decides (approve, request changes, dismissed) counts; comments and pending reviews do not. One
   * request per 100 reviews, the logins read from the list itself.
   */
  public int approvals(int number) {
    List<JsonNode> reviews;
    try {
      reviews = lists.list("/repos/" + name + "/pulls/" + number + "/reviews", Integer.MAX_VALUE);
    } catch (IOException e) {
      throw Failures.of("listing the reviews of pull request #" + number + " of " + name, e);
    }
    Map<String, String> latest = new LinkedHashMap<>();
    for (JsonNode r : reviews) {
      String state = r.path("state").asText("");
      String login = r.path("user").path("login").asText("");
      if (login.isEmpty()) {
        continue; // a deleted account
      }
      switch (state) {
        case "APPROVED", "CHANGES_REQUESTED", "DISMISSED" -> latest.put(login, state);
        default -> {
          // COMMENTED and PENDING decide nothing.
        }
      }
    }
    return (int) latest.values().stream().filter("APPROVED"::equals).count();
  }

  private static ChangedFile changedFile(JsonNode f) {
    String status = textOr(f.path("status"), "modified");
    ChangeType type =
        switch (status) {
          case "added" -> ChangeType.ADDED;
          case "removed" -> ChangeType.DELETED;
          case "renamed" -> ChangeType.RENAMED;
          case "copied" -> ChangeType.COPIED;
          default -> ChangeType.MODIFIED; // modified, changed (mode only), unchanged
        };
    Optional<String> oldPath =
        (type == ChangeType.RENAMED || type == ChangeType.COPIED)
            ? Optional.ofNullable(text(f.path("previous_filename")))
            : Optional.empty();
    int additions = f.path("additions").asInt(0);
    int deletions = f.path("deletions").asInt(0);
    // The API has no binary flag; a file with content but no patch and no lines is binary.
    boolean binary =
        text(f.path("patch")) == null
            && additions == 0
            && deletions == 0
            && (type == ChangeType.ADDED || type == ChangeType.MODIFIED);
    String sha = text(f.path("sha"));
    Optional<String> blob =
        type == ChangeType.DELETED || sha == null || !SHA.matcher(sha).matches()
            ? Optional.empty()
            : Optional.of(sha);
    return new ChangedFile(
        text(f.path("filename")), oldPath, type, additions, deletions, binary, blob);
  }

  /** A comment on a pull request's conversation. */
  public record Comment(long id, String login, String body, Optional<String> htmlUrl) {}

  /** Every comment of the pull request's conversation, oldest first. */
  public List<Comment> comments(int number) {
    List<Comment> out = new ArrayList<>();
    try {
      for (JsonNode c : lists.list(issuePath(number) + "/comments", Integer.MAX_VALUE)) {
        out.add(comment(c));
      }
    } catch (IOException e) {
      throw Failures.of("listing the comments of #" + number, e);
    }
    return out;
  }

  private static Comment comment(JsonNode c) {
    return new Comment(
        c.path("id").asLong(),
        textOr(c.path("user").path("login"), ""),
        textOr(c.path("body"), ""),
        Optional.ofNullable(text(c.path("html_url"))));
  }

  private static ObjectNode bodyOf(String body) {
    ObjectNode b = JSON.createObjectNode();
    b.put("body", body);
    return b;
  }

  /** Posts a new comment; never retried blindly (see {@link RetryPolicy}). */
  public Comment createComment(int number, String body) {
    try {
      return comment(send("POST", issuePath(number) + "/comments", bodyOf(body)));
    } catch (IOException e) {
      throw Failures.of("posting a comment on #" + number, e);
    }
  }

  /** Replaces a comment's body. */
  public void updateComment(Comment c, String body) {
    try {
      send("PATCH", repository() + "/issues/comments/" + c.id(), bodyOf(body));
    } catch (IOException e) {
      throw Failures.of("editing comment " + c.id(), e);
    }
  }

  /** Deletes a comment; one already gone counts as deleted. */
  public void deleteComment(Comment c) {
    try {
      http.send("DELETE", repository() + "/issues/comments/" + c.id(), null);
    } catch (IOException e) {
      GithubApiException f = Failures.of("deleting comment " + c.id(), e);
      if (f.reason() != GithubApiException.Reason.NOT_FOUND) {
        throw f;
      }
    }
  }

  /**
   * Posts a commit status and returns its URL.
   *
   * @param state {@code success}, {@code failure}, {@code error} or {@code pending}
   */
  public Optional<String> createStatus(
      String sha, String state, String targetUrl, String description, String context) {
    try {
      ObjectNode b = JSON.createObjectNode();
      b.put("state", state);
      if (targetUrl != null) {
        b.put("target_url", targetUrl);
      }
      if (description != null) {
        b.put("description", description);
      }
      b.put("context", context);
      return Optional.ofNullable(
          text(send("POST", repository() + "/statuses/" + sha, b).path("url")));
    } catch (IOException e) {
      throw Failures.of(
          "setting commit status " + context + " on " + CommitInfo.abbreviate(sha), e);
    }
  }

  /** A status as GitHub lists it; {@code state} as GitHub spells it ({@code failure}). */
  public record Status(String context, String state, String description) {}

  /**
   * The statuses of a commit, newest first, from {@code GET /repos/{owner}/{repo}/statuses/{sha}},
   * the older spelling of {@code .../commits/{sha}/statuses} that GitHub still serves.
   */
  public List<Status> statuses(String sha) {
    List<Status> out = new ArrayList<>();
    try {
      for (JsonNode s : lists.list(repository() + "/statuses/" + sha, Integer.MAX_VALUE)) {
        out.add(
            new Status(
                text(s.path("context")),
                textOr(s.path("state"), "").toLowerCase(Locale.ROOT),
                textOr(s.path("description"), "")));
      }
    } catch (IOException e) {
      throw Failures.of("listing the statuses of " + CommitInfo.abbreviate(sha), e);
    }
    return out;
  }

  /** A check run as GitHub lists it. */
  public record CheckRun(long id, String name, Optional<String> externalId, Optional<String> url) {}

  /** The check runs of a commit with the given name. */
  public List<CheckRun> checkRuns(String sha, String checkName) {
    List<CheckRun> out = new ArrayList<>();
    try {
      String q = "?check_name=" + URLEncoder.encode(checkName, StandardCharsets.UTF_8);
      for (JsonNode r :
          lists.list(
              repository() + "/commits/" + sha + "/check-runs" + q,
              Integer.MAX_VALUE,
              "check_runs")) {
        out.add(checkRun(r));
      }
    } catch (IOException e) {
      throw Failures.of("listing the check runs of " + CommitInfo.abbreviate(sha), e);
    }
    return out;
  }

  private static CheckRun checkRun(JsonNode r) {
    return new CheckRun(
        r.path("id").asLong(),
        text(r.path("name")),
        Optional.ofNullable(text(r.path("external_id"))),
        Optional.ofNullable(text(r.path("html_url"))));
  }

  /**
   * What a check run is created or completed with.
   *
   * @param fields the request's fields other than {@code name}, {@code head_sha} and {@code output}
   *     (status, conclusion, times, ids, links)
   * @param title the output's title
   * @param summary the output's summary
   * @param annotations the output's annotations, in order
   */
  record CheckRunContent(
      ObjectNode fields, String title, String summary, List<ObjectNode> annotations) {
    ObjectNode output(List<ObjectNode> batch) {
      ObjectNode o = JSON.createObjectNode();
      o.put("title", title);
      o.put("summary", summary);
      ArrayNode a = o.putArray("annotations");
      batch.forEach(a::add);
      return o;
    }

    List<ObjectNode> first() {
      return annotations.subList(0, Math.min(annotations.size(), MAX_ANNOTATIONS_PER_REQUEST));
    }
  }

  /**
   * Creates a check run; GitHub takes 50 annotations per request, so more go in follow-up updates
   * of 50 each, with the same title and summary.
   */
  public CheckRun createCheckRun(String sha, String checkName, CheckRunContent content) {
    JsonNode created;
    try {
      ObjectNode b = JSON.createObjectNode();
      b.put("name", checkName);
      b.put("head_sha", sha);
      b.setAll(content.fields());
      b.set("output", content.output(content.first()));
      created = send("POST", repository() + "/check-runs", b);
    } catch (IOException e) {
      throw Failures.of(
          "creating check run '" + checkName + "' on " + CommitInfo.abbreviate(sha), e);
    }
    CheckRun run = checkRun(created);
    return rest(run, content);
  }

  /** Completes an existing check run (after a create whose answer was lost). */
  public CheckRun updateCheckRun(long id, CheckRunContent content) {
    CheckRun run;
    try {
      ObjectNode b = JSON.createObjectNode();
      b.setAll(content.fields());
      b.set("output", content.output(content.first()));
      run = checkRun(send("PATCH", repository() + "/check-runs/" + id, b));
    } catch (IOException e) {
      throw Failures.of("updating check run " + id, e);
    }
    return rest(run, content);
  }

  /** Adds the annotations beyond the first 50 to {@code run}, 50 per update. */
  private CheckRun rest(CheckRun run, CheckRunContent content) {
    List<ObjectNode> all = content.annotations();
    for (int from = MAX_ANNOTATIONS_PER_REQUEST;
        from < all.size();
        from += MAX_ANNOTATIONS_PER_REQUEST) {
      List<ObjectNode> batch =
          all.subList(from, Math.min(all.size(), from + MAX_ANNOTATIONS_PER_REQUEST));
      ObjectNode b = JSON.createObjectNode();
      b.set("output", content.output(batch));
      try {
        run = checkRun(send("PATCH", repository() + "/check-runs/" + run.id(), b));
      } catch (IOException e) {
        throw Failures.of("updating check run " + run.id(), e);
      }
    }
    return run;
  }

  /**
   * The content of blob {@code sha} (GET /git/blobs).
   *
   * @throws TollgateException of kind {@code COULD_NOT_FINISH} over {@link
   *     RepositoryView#MAX_BLOB_BYTES}, like a local read
   */
  public byte[] blob(String sha) {
    try {
      JsonNode blob = get(repository() + "/git/blobs/" + sha);
      long size = blob.path("size").asLong();
      if (size > RepositoryView.MAX_BLOB_BYTES) {
        throw new TollgateException(
            TollgateException.Kind.COULD_NOT_FINISH,
            "blob "
                + sha
                + " is "
                + size
                + " bytes; files over "
                + RepositoryView.MAX_BLOB_BYTES
                + " are not read");
      }
      return decode(blob, "blob " + sha);
    } catch (IOException e) {
      throw Failures.of("reading blob " + sha, e);
    }
  }

  private static byte[] decode(JsonNode node, String what) throws IOException {
    String encoding = textOr(node.path("encoding"), "");
    String content = textOr(node.path("content"), "");
    if ("base64".equals(encoding)) {
      try {
        return Base64.getMimeDecoder().decode(content);
      } catch (IllegalArgumentException e) {
        throw new IOException(what + ": content is not base64", e);
      }
    }
    if ("utf-8".equalsIgnoreCase(encoding)) {
      return content.getBytes(StandardCharsets.UTF_8);
    }
    throw new IOException(what + ": unrecognised encoding '" + encoding + "'");
  }

  /** The content of {@code file} at commit {@code ref}, or empty when it has no such file. */
  public Optional<byte[]> file(String file, String ref) {
    try {
      String encoded;
      try {
        encoded = new URI(null, null, file, null).getRawPath();
      } catch (URISyntaxException e) {
        throw new IOException("not a path: " + file, e);
      }
      JsonNode content =
          get(
              repository()
                  + "/contents/"
                  + encoded
                  + "?ref="
                  + URLEncoder.encode(ref, StandardCharsets.UTF_8));
      if (!"file".equals(text(content.path("type")))) {
        return Optional.empty();
      }
      return Optional.of(decode(content, file + " at " + CommitInfo.abbreviate(ref)));
    } catch (IOException e) {
      GithubApiException f =
          Failures.of("reading " + file + " at " + CommitInfo.abbreviate(ref), e);
      if (f.reason() == GithubApiException.Reason.NOT_FOUND) {
        return Optional.empty();
      }
      throw f;
    }
  }

  /**
   * Creates a GitHub deployment of {@code sha} to {@code environment} (no auto-merge, no required
   * contexts: Tollgate's own gates decide) and returns its id.
   */
  public long createDeployment(String sha, String environment, String description) {
    try {
      ObjectNode b = JSON.createObjectNode();
      b.put("ref", sha);
      b.put("environment", environment);
      b.put("description", description);
      b.put("auto_merge", false);
      b.putArray("required_contexts");
      return send("POST", repository() + "/deployments", b).path("id").asLong();
    } catch (IOException e) {
      throw Failures.of("creating a deployment of " + sha + " to " + environment, e);
    }
  }
}
