package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.repo.ChangedFile;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Tollgate's connection to the GitHub REST API (github.com or a GitHub Enterprise Server): reads a
 * pull request's facts, keeps its sticky comment, and puts the verdict on a commit as a status or a
 * check run.
 *
 * <p>It speaks plain JSON over HTTP: the endpoint from {@code GITHUB_API_URL}, the token, and the
 * bounded retries of a {@link RetryPolicy}; answers are read as JSON trees, only the fields used.
 * Every failure is a {@link GithubApiException} naming the operation; a 401 (bad or expired token)
 * is one too, so the runner exits 3. A 403 when writing (a fork's read-only token) is not a
 * failure: {@link #comment} and {@link #report} say {@code NOT_PERMITTED} instead.
 *
 * <p>It makes as few requests as it can: nothing is read before it is needed, the event payload
 * (see {@link Builder#eventPayload}) spares reading the repository and the pull request, and the
 * token's login is asked only when a marked comment must be told apart from others' (see {@link
 * #identity}).
 *
 * <p>Not thread-safe: one client serves one run.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class GithubClient {
  /** GitHub lists at most this many files of a pull request. */
  public static final int MAX_LISTED_FILES = 3_000;

  /** GitHub lists at most this many commits of a pull request. */
  public static final int MAX_LISTED_COMMITS = 250;

  /**
   * The author of comments made with a workflow's {@code GITHUB_TOKEN}, which cannot read {@code
   * GET /user} to learn it.
   */
  public static final String ACTIONS_BOT = "github-actions[bot]";

  private final GithubHttp http;
  private final Optional<PayloadObjects> payload;
  private final Optional<String> commentAuthor;
  private final Clock clock;
  private final Map<RepositoryName, RestRepository> repositories = new HashMap<>();
  private String identity;

  private DeploymentStatusWriter statuses;

  private GithubClient(
      GithubHttp http,
      Optional<PayloadObjects> payload,
      Optional<String> commentAuthor,
      Clock clock) {
    this.http = http;
    this.payload = payload;
    this.commentAuthor = commentAuthor;
    this.clock = clock;
  }

  /** A builder; {@link Builder#apiUrl} and {@link Builder#token} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link GithubClient}; every setter checks its input. */
  public static final class Builder {
    private URI apiUrl;
    private GithubToken token;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Sleeper sleeper = Sleeper.system();
    private Clock clock = Clock.systemUTC();
    private Duration requestTimeout = Duration.ofSeconds(30);
    private String userAgent = "tollgate";
    private Optional<String> commentAuthor = Optional.empty();
    private String eventName;
    private String eventPayload;

    private Builder() {}

    /**
     * The REST API root, e.g. {@code https://api.github.com} or {@code https://ghe.example/api/v3}.
     */
    public Builder apiUrl(URI apiUrl) {
      Objects.requireNonNull(apiUrl, "apiUrl");
      String scheme = apiUrl.getScheme();
      if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))
          || apiUrl.getHost() == null) {
        throw new IllegalArgumentException(
            "apiUrl must be an http(s) URL but was '" + apiUrl + "'");
      }
      this.apiUrl = apiUrl;
      return this;
    }

    /** The token every request carries. */
    public Builder token(GithubToken token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /** How failed requests are retried; {@link RetryPolicy#defaults()} unless set. */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /** How waits between retries happen; the real clock unless set (tests record instead). */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** The clock for rate-limit resets and check-run times. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How long one request may take; 30 seconds unless set. */
    public Builder requestTimeout(Duration requestTimeout) {
      Objects.requireNonNull(requestTimeout, "requestTimeout");
      if (requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException(
            "requestTimeout must be positive but was " + requestTimeout);
      }
      this.requestTimeout = requestTimeout;
      return this;
    }

    /** The User-Agent header; {@code tollgate} unless set. */
    public Builder userAgent(String userAgent) {
      Objects.requireNonNull(userAgent, "userAgent");
      if (userAgent.isBlank() || userAgent.indexOf('\n') >= 0 || userAgent.indexOf('\r') >= 0) {
        throw new IllegalArgumentException(
            "userAgent must be one non-blank line but was '" + userAgent + "'");
      }
      this.userAgent = userAgent;
      return this;
    }

    /**
     * The login the sticky comment is written by, instead of asking GitHub ({@code GET /user}): for
     * a GitHub App token, whose comments come from {@code <app-slug>[bot]}.
     */
    public Builder commentAuthor(String login) {
      Objects.requireNonNull(login, "login");
      if (login.isBlank() || login.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "commentAuthor must be a GitHub login without spaces but was '" + login + "'");
      }
      this.commentAuthor = Optional.of(login);
      return this;
    }

    /**
     * The webhook payload of the run's event ({@code $GITHUB_EVENT_PATH}) and the event's name. The
     * repository it carries, and for {@code pull_request} and {@code pull_request_target} the pull
     * request, then address requests as they are, without reading them from the API first ({@code
     * GET /repos/{owner}/{repo}}, {@code GET .../pulls/{n}}). A payload that cannot be read that
     * way is ignored: the objects are then read from the API when needed.
     */
    public Builder eventPayload(String eventName, String json) {
      this.eventName = Objects.requireNonNull(eventName, "eventName");
      this.eventPayload = Objects.requireNonNull(json, "json");
      return this;
    }

    /**
     * The client. Nothing is sent until the first call.
     *
     * @throws IllegalStateException naming what is missing
     */
    public GithubClient build() {
      if (apiUrl == null) {
        throw new IllegalStateException("apiUrl is required");
      }
      if (token == null) {
        throw new IllegalStateException("token is required");
      }
      GithubHttp http =
          new GithubHttp(apiUrl, token, retryPolicy, sleeper, clock, requestTimeout, userAgent);
      Optional<PayloadObjects> payload =
          eventPayload == null ? Optional.empty() : PayloadObjects.parse(eventName, eventPayload);
      GithubClient client = new GithubClient(http, payload, commentAuthor, clock);
      client.statuses = new DeploymentStatusWriter(http);
      return client;
    }
  }

  private RestRepository repo(RepositoryName name) {
    return repositories.computeIfAbsent(
        Objects.requireNonNull(name, "repository"), n -> new RestRepository(http, n, payload));
  }

  /**
   * The login this client's comments are written by: the configured {@code commentAuthor}, else the
   * author of a comment this client created, else what {@code GET /user} says, else {@value
   * #ACTIONS_BOT} when GitHub refuses to say (403, as it does for a workflow's {@code
   * GITHUB_TOKEN}). Asked once; {@link #comment} asks only when a comment carries the key's marker.
   */
  public String identity(RepositoryName repository) {
    if (identity == null) {
      identity =
          commentAuthor.orElseGet(() -> repo(repository).authenticatedLogin().orElse(ACTIONS_BOT));
    }
    return identity;
  }

  /** The pull request as the API shows it now: refs, title, labels (one request). */
  public PullRequestSnapshot pullRequest(RepositoryName repository, int number) {
    return repo(repository).snapshot(checked(number));
  }

  /**
   * The pull request's changed files (one request per 100); empty when GitHub cannot list them all
   * (over {@value #MAX_LISTED_FILES}).
   */
  public Optional<List<ChangedFile>> pullRequestFiles(RepositoryName repository, int number) {
    return repo(repository).files(checked(number));
  }

  /**
   * The messages of the pull request's commits, newest first (one request per 100); empty when
   * GitHub cannot list them all (over {@value #MAX_LISTED_COMMITS}).
   */
  public Optional<List<String>> commitMessages(RepositoryName repository, int number) {
    return repo(repository).commitMessages(checked(number));
  }

  /**
   * How many reviewers approve the pull request: each reviewer's latest deciding review counts (a
   * later "changes requested" or a dismissal cancels an approval; comments do not). One request per
   * 100 reviews.
   */
  public int approvals(RepositoryName repository, int number) {
    return repo(repository).approvals(checked(number));
  }

  private static int checked(int number) {
    if (number < 1) {
      throw new IllegalArgumentException("number must be 1 or more but was " + number);
    }
    return number;
  }

  /** The pull request's head commit now, without reading its files, commits and reviews. */
  public String pullRequestHead(RepositoryName repository, int number) {
    return repo(repository).headSha(checked(number));
  }

  /** Keeps the sticky comment as {@code request} asks; {@code NOT_PERMITTED} on a 403. */
  public CommentResult comment(RepositoryName repository, CommentRequest request) {
    try {
      return new StickyCommentWriter(
              repo(repository),
              () -> identity(repository),
              login -> {
                if (identity == null) {
                  identity = login;
                }
              })
          .publish(request);
    } catch (GithubApiException e) {
      if (!e.notPermitted()) {
        throw e;
      }
      return new CommentResult(
          CommentResult.Action.NOT_PERMITTED, Optional.empty(), 0, Optional.of(e.getMessage()));
    }
  }

  /** Puts the verdict on the commit; {@code NOT_PERMITTED} on a 403. */
  public CommitReportResult report(RepositoryName repository, CommitReport report) {
    try {
      return new CommitReportWriter(repo(repository), clock).publish(report);
    } catch (GithubApiException e) {
      if (!e.notPermitted()) {
        throw e;
      }
      return new CommitReportResult(
          CommitReportResult.Kind.NOT_PERMITTED, Optional.empty(), Optional.of(e.getMessage()));
    }
  }

  /** The content of a blob, for files the checkout lacks. */
  public byte[] blob(RepositoryName repository, String sha) {
    return repo(repository).blob(sha);
  }

  /** The content of {@code path} at commit {@code ref}; empty when there is no such file. */
  public Optional<byte[]> file(RepositoryName repository, String path, String ref) {
    return repo(repository).file(path, ref);
  }

  /**
   * Creates a GitHub deployment of {@code sha} to {@code environment}; empty when the token may not
   * (403), so a deploy never fails for want of a deployment record.
   */
  public Optional<Long> startDeployment(
      RepositoryName repository, String sha, String environment, String description) {
    try {
      return Optional.of(repo(repository).createDeployment(sha, environment, description));
    } catch (GithubApiException e) {
      if (!e.notPermitted()) {
        throw e;
      }
      return Optional.empty();
    }
  }

  /**
   * Sets a deployment's status: {@code in_progress}, {@code success}, {@code failure}, {@code
   * error} or {@code inactive} (GitHub marks earlier deployments inactive on a success). Returns
   * false when the token may not.
   */
  public boolean deploymentStatus(
      RepositoryName repository,
      long deploymentId,
      String state,
      Optional<String> logUrl,
      String description) {
    return statuses.post(repository, deploymentId, state, logUrl, description);
  }
}
