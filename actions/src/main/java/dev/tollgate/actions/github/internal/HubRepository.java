package dev.tollgate.actions.github.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.actions.github.GithubApiException;
import dev.tollgate.actions.github.GithubClient;
import dev.tollgate.actions.github.GithubToken;
import dev.tollgate.actions.github.PullRequestSnapshot;
import dev.tollgate.actions.github.RepositoryName;
import dev.tollgate.actions.github.RetryPolicy;
import dev.tollgate.actions.github.Sleeper;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.repo.ChangeType;
import dev.tollgate.core.repo.ChangedFile;
import dev.tollgate.core.repo.CommitInfo;
import dev.tollgate.core.repo.RepositoryView;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.kohsuke.github.GHBlob;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHCheckRunBuilder;
import org.kohsuke.github.GHCommitState;
import org.kohsuke.github.GHCommitStatus;
import org.kohsuke.github.GHContent;
import org.kohsuke.github.GHException;
import org.kohsuke.github.GHIssueComment;
import org.kohsuke.github.GHLabel;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHPullRequestCommitDetail;
import org.kohsuke.github.GHPullRequestFileDetail;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.PagedIterator;

/**
 * One repository seen through hub4j's {@code github-api}: every call Tollgate makes, with failures
 * turned into {@link GithubApiException}s that name the operation.
 */
public final class HubRepository {
  private static final int PAGE_SIZE = 100;

  private final GitHub github;
  private final JsonLists lists;
  private final RepositoryName name;
  private final Optional<GHPullRequest> payloadPullRequest;
  private GHRepository repository;
  private final Map<Integer, GHPullRequest> pullRequests = new HashMap<>();

  /**
   * hub4j, and the plain JSON lists beside it, over one connection.
   *
   * @param github hub4j's client
   * @param lists lists read as plain JSON through the same transport
   */
  public record Connection(GitHub github, JsonLists lists) {}

  /** hub4j configured explicitly: endpoint, token, our transport, no waiting in hub4j itself. */
  public static Connection connect(
      URI apiUrl,
      GithubToken token,
      RetryPolicy retry,
      Sleeper sleeper,
      Clock clock,
      Duration requestTimeout,
      String userAgent) {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(requestTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    String endpoint = apiUrl.toString();
    if (endpoint.endsWith("/")) {
      endpoint = endpoint.substring(0, endpoint.length() - 1);
    }
    RetryingConnector connector =
        new RetryingConnector(http, retry, sleeper, clock, requestTimeout, userAgent);
    try {
      GitHub github =
          new GitHubBuilder()
              .withEndpoint(endpoint)
              // A plain provider: hub4j's own token provider would call GET /user at build time.
              .withAuthorizationProvider(() -> "Bearer " + token.value())
              .withConnector(connector)
              // Our connector does the bounded waiting; hub4j's handlers would wait again.
              .withRateLimitHandler(GitHubRateLimitHandler.FAIL)
              .withAbuseLimitHandler(GitHubAbuseLimitHandler.FAIL)
              .build();
      return new Connection(github, new JsonLists(connector, endpoint, token));
    } catch (IOException e) {
      throw Failures.of("connecting to " + endpoint, e);
    }
  }

  /**
   * The repository {@code name} reached through {@code connection}; {@code payload}, when it holds
   * this repository, addresses requests without reading the repository (and the event's pull
   * request) from the API first.
   */
  public HubRepository(
      Connection connection, RepositoryName name, Optional<PayloadObjects> payload) {
    this.github = connection.github();
    this.lists = connection.lists();
    this.name = name;
    Optional<PayloadObjects> own = payload.filter(p -> p.isOf(name));
    this.repository = own.map(PayloadObjects::repository).orElse(null);
    this.payloadPullRequest = own.flatMap(PayloadObjects::pullRequest);
  }

  private GHRepository repository() {
    if (repository == null) {
      try {
        repository = github.getRepository(name.toString());
      } catch (IOException e) {
        throw Failures.of("reading repository " + name, e);
      }
    }
    return repository;
  }

  /**
   * The login the token acts as (GET /user), or empty when GitHub will not say: a GitHub App
   * installation token, such as a workflow's {@code GITHUB_TOKEN}, gets 403 there.
   */
  public Optional<String> authenticatedLogin() {
    try {
      return Optional.ofNullable(github.getMyself().getLogin());
    } catch (IOException e) {
      GithubApiException f = Failures.of("reading the token's user (GET /user)", e);
      if (f.reason() == GithubApiException.Reason.FORBIDDEN) {
        return Optional.empty();
      }
      throw f;
    }
  }

  /**
   * The pull request to address requests to: the event's own when it is that one (no request), else
   * the one read from the API.
   */
  private GHPullRequest handle(int number) {
    return payloadPullRequest
        .filter(p -> p.getNumber() == number)
        .orElseGet(() -> pullRequest(number));
  }

  /** The pull request as the API shows it now (one request, then kept). */
  private GHPullRequest pullRequest(int number) {
    GHPullRequest pr = pullRequests.get(number);
    if (pr == null) {
      try {
        pr = repository().getPullRequest(number);
      } catch (IOException e) {
        throw Failures.of("reading pull request #" + number + " of " + name, e);
      }
      pullRequests.put(number, pr);
    }
    return pr;
  }

  /** The pull request's head commit now (one request, without its files and reviews). */
  public String headSha(int number) {
    return pullRequest(number).getHead().getSha();
  }

  /** The pull request as the API shows it now: refs, title and labels (one request). */
  public PullRequestSnapshot snapshot(int number) {
    GHPullRequest pr = pullRequest(number);
    try {
      Set<String> labels = new TreeSet<>();
      for (GHLabel l : pr.getLabels()) {
        labels.add(l.getName());
      }
      return new PullRequestSnapshot(
          number,
          pr.getTitle() == null ? "" : pr.getTitle(),
          pr.getState() == null ? "open" : pr.getState().name().toLowerCase(java.util.Locale.ROOT),
          pr.getHead().getRef(),
          pr.getHead().getSha(),
          Optional.ofNullable(pr.getHead().getRepository()).map(GHRepository::getFullName),
          pr.getBase().getRef(),
          pr.getBase().getSha(),
          labels);
    } catch (GHException e) {
      throw Failures.of("reading pull request #" + number + " of " + name, e);
    }
  }

  /**
   * The pull request's changed files, paginated; empty when GitHub cannot list them all (it lists
   * at most {@value GithubClient#MAX_LISTED_FILES}, and stops there without saying so).
   */
  public Optional<List<ChangedFile>> files(int number) {
    List<ChangedFile> files = new ArrayList<>();
    try {
      PagedIterator<GHPullRequestFileDetail> it =
          handle(number).listFiles().withPageSize(PAGE_SIZE).iterator();
      while (it.hasNext()) {
        if (files.size() >= GithubClient.MAX_LISTED_FILES) {
          return Optional.empty();
        }
        files.add(changedFile(it.next()));
      }
    } catch (GHException e) {
      throw Failures.of("listing the files of pull request #" + number + " of " + name, e);
    }
    // A full list may be a cut one.
    return files.size() >= GithubClient.MAX_LISTED_FILES ? Optional.empty() : Optional.of(files);
  }

  /**
   * The messages of the pull request's commits, newest first; empty when GitHub cannot list them
   * all (over {@value GithubClient#MAX_LISTED_COMMITS}).
   */
  public Optional<List<String>> commitMessages(int number) {
    List<String> messages = new ArrayList<>();
    try {
      for (GHPullRequestCommitDetail c : handle(number).listCommits().withPageSize(PAGE_SIZE)) {
        messages.add(c.getCommit().getMessage());
      }
    } catch (GHException e) {
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
   * request per 100 reviews: the list is read as JSON, since hub4j's reviews would read each
   * reviewer's profile to tell their login.
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

  private static ChangedFile changedFile(GHPullRequestFileDetail f) {
    String status = f.getStatus() == null ? "modified" : f.getStatus();
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
            ? Optional.ofNullable(f.getPreviousFilename())
            : Optional.empty();
    // The API has no binary flag; a file with content but no patch and no lines is binary.
    boolean binary =
        f.getPatch() == null
            && f.getAdditions() == 0
            && f.getDeletions() == 0
            && (type == ChangeType.ADDED || type == ChangeType.MODIFIED);
    Optional<String> blob =
        type == ChangeType.DELETED || f.getSha() == null || !f.getSha().matches("[0-9a-f]{40}")
            ? Optional.empty()
            : Optional.of(f.getSha());
    return new ChangedFile(
        f.getFilename(), oldPath, type, f.getAdditions(), f.getDeletions(), binary, blob);
  }

  /** A comment on a pull request's conversation. */
  public record Comment(
      long id, String login, String body, Optional<String> htmlUrl, GHIssueComment handle) {}

  /** Every comment of the pull request's conversation, oldest first. */
  public List<Comment> comments(int number) {
    List<Comment> out = new ArrayList<>();
    try {
      for (GHIssueComment c : handle(number).listComments().withPageSize(PAGE_SIZE)) {
        out.add(comment(c));
      }
    } catch (IOException e) {
      throw Failures.of("listing the comments of #" + number, e);
    } catch (GHException e) {
      throw Failures.of("listing the comments of #" + number, e);
    }
    return out;
  }

  private static Comment comment(GHIssueComment c) {
    return new Comment(
        c.getId(),
        c.getUserName() == null ? "" : c.getUserName(),
        c.getBody() == null ? "" : c.getBody(),
        Optional.ofNullable(c.getHtmlUrl()).map(Object::toString),
        c);
  }

  /** Posts a new comment; never retried blindly (see {@link RetryPolicy}). */
  public Comment createComment(int number, String body) {
    try {
      return comment(handle(number).comment(body));
    } catch (IOException e) {
      throw Failures.of("posting a comment on #" + number, e);
    }
  }

  /** Replaces a comment's body. */
  public void updateComment(Comment c, String body) {
    try {
      c.handle().update(body);
    } catch (IOException e) {
      throw Failures.of("editing comment " + c.id(), e);
    }
  }

  /** Deletes a comment; one already gone counts as deleted. */
  public void deleteComment(Comment c) {
    try {
      c.handle().delete();
    } catch (IOException e) {
      GithubApiException f = Failures.of("deleting comment " + c.id(), e);
      if (f.reason() != GithubApiException.Reason.NOT_FOUND) {
        throw f;
      }
    }
  }

  /** Posts a commit status and returns its URL. */
  public Optional<String> createStatus(
      String sha, GHCommitState state, String targetUrl, String description, String context) {
    try {
      GHCommitStatus s =
          repository().createCommitStatus(sha, state, targetUrl, description, context);
      return Optional.ofNullable(s.getUrl()).map(Object::toString);
    } catch (IOException e) {
      throw Failures.of(
          "setting commit status " + context + " on " + CommitInfo.abbreviate(sha), e);
    }
  }

  /** A status as GitHub lists it. */
  public record Status(String context, GHCommitState state, String description) {}

  /**
   * The statuses of a commit, newest first. hub4j reads them from {@code GET
   * /repos/{owner}/{repo}/statuses/{sha}}, the older spelling of {@code .../commits/{sha}/statuses}
   * that GitHub still serves.
   */
  public List<Status> statuses(String sha) {
    List<Status> out = new ArrayList<>();
    try {
      for (GHCommitStatus s : repository().listCommitStatuses(sha).withPageSize(PAGE_SIZE)) {
        out.add(
            new Status(
                s.getContext(),
                s.getState(),
                s.getDescription() == null ? "" : s.getDescription()));
      }
    } catch (IOException e) {
      throw Failures.of("listing the statuses of " + CommitInfo.abbreviate(sha), e);
    } catch (GHException e) {
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
      for (GHCheckRun r :
          repository().getCheckRuns(sha, Map.of("check_name", checkName)).withPageSize(PAGE_SIZE)) {
        out.add(checkRun(r));
      }
    } catch (IOException e) {
      throw Failures.of("listing the check runs of " + CommitInfo.abbreviate(sha), e);
    } catch (GHException e) {
      throw Failures.of("listing the check runs of " + CommitInfo.abbreviate(sha), e);
    }
    return out;
  }

  private static CheckRun checkRun(GHCheckRun r) {
    return new CheckRun(
        r.getId(),
        r.getName(),
        Optional.ofNullable(r.getExternalId()),
        Optional.ofNullable(r.getHtmlUrl()).map(Object::toString));
  }

  /**
   * Creates a check run from a builder that {@code fill} completes; more than 50 annotations go in
   * follow-up updates.
   */
  public CheckRun createCheckRun(
      String sha, String checkName, java.util.function.UnaryOperator<GHCheckRunBuilder> fill) {
    try {
      return checkRun(fill.apply(repository().createCheckRun(checkName, sha)).create());
    } catch (IOException e) {
      throw Failures.of(
          "creating check run '" + checkName + "' on " + CommitInfo.abbreviate(sha), e);
    }
  }

  /** Completes an existing check run (after a create whose answer was lost). */
  public CheckRun updateCheckRun(
      long id, java.util.function.UnaryOperator<GHCheckRunBuilder> fill) {
    try {
      return checkRun(fill.apply(repository().updateCheckRun(id)).create());
    } catch (IOException e) {
      throw Failures.of("updating check run " + id, e);
    }
  }

  /**
   * The content of blob {@code sha} (GET /git/blobs).
   *
   * @throws TollgateException of kind {@code COULD_NOT_FINISH} over {@link
   *     RepositoryView#MAX_BLOB_BYTES}, like a local read
   */
  public byte[] blob(String sha) {
    try {
      GHBlob blob = repository().getBlob(sha);
      if (blob.getSize() > RepositoryView.MAX_BLOB_BYTES) {
        throw new TollgateException(
            TollgateException.Kind.COULD_NOT_FINISH,
            "blob "
                + sha
                + " is "
                + blob.getSize()
                + " bytes; files over "
                + RepositoryView.MAX_BLOB_BYTES
                + " are not read");
      }
      try (InputStream in = blob.read()) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw Failures.of("reading blob " + sha, e);
    }
  }

  /** The content of {@code path} at commit {@code ref}, or empty when it has no such file. */
  public Optional<byte[]> file(String path, String ref) {
    try {
      GHContent content = repository().getFileContent(path, ref);
      if (!content.isFile()) {
        return Optional.empty();
      }
      try (InputStream in = content.read()) {
        return Optional.of(in.readAllBytes());
      }
    } catch (IOException e) {
      GithubApiException f =
          Failures.of("reading " + path + " at " + CommitInfo.abbreviate(ref), e);
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
      return repository()
          .createDeployment(sha)
          .environment(environment)
          .description(description)
          .autoMerge(false)
          .requiredContexts(java.util.List.of())
          .create()
          .getId();
    } catch (IOException e) {
      throw Failures.of("creating a deployment of " + sha + " to " + environment, e);
    }
  }
}
