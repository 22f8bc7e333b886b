package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.TollgateException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What a GitHub Actions step knows about its run, read from the {@code GITHUB_*} environment
 * variables: the event and its payload file, the repository and commit, the API and server URLs (so
 * GitHub Enterprise Server works), the run, workflow and job, and the files for outputs and the job
 * summary.
 *
 * <p>It is always built from an explicit map ({@link #from(Map)}), never from the process
 * environment, so callers and tests decide what it sees.
 *
 * @param eventName {@code GITHUB_EVENT_NAME}, e.g. {@code pull_request}
 * @param eventPath {@code GITHUB_EVENT_PATH}: the webhook payload as JSON
 * @param repository {@code GITHUB_REPOSITORY}
 * @param sha {@code GITHUB_SHA}: the commit the workflow runs on
 * @param ref {@code GITHUB_REF}, e.g. {@code refs/pull/7/merge}; empty when unset
 * @param apiUrl {@code GITHUB_API_URL}; {@code https://api.github.com} when unset
 * @param serverUrl {@code GITHUB_SERVER_URL}; {@code https://github.com} when unset
 * @param runId {@code GITHUB_RUN_ID}; empty when unset
 * @param workflow {@code GITHUB_WORKFLOW}: the workflow's name; empty when unset
 * @param job {@code GITHUB_JOB}: the job's id; empty when unset
 * @param outputFile {@code GITHUB_OUTPUT}; empty when unset
 * @param summaryFile {@code GITHUB_STEP_SUMMARY}; empty when unset
 * @param runnerTemp {@code RUNNER_TEMP}: a scratch folder emptied after the job; empty when unset
 * @param matrix {@code TOLLGATE_MATRIX}: the job's matrix as JSON ({@code toJSON(matrix)}), which
 *     the action passes so that matrix legs get their own comment; empty when unset
 * @param token {@code GITHUB_TOKEN}; empty when unset
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record ActionsEnvironment(
    String eventName,
    Path eventPath,
    RepositoryName repository,
    String sha,
    Optional<String> ref,
    URI apiUrl,
    URI serverUrl,
    Optional<String> runId,
    Optional<String> workflow,
    Optional<String> job,
    Optional<Path> outputFile,
    Optional<Path> summaryFile,
    Optional<Path> runnerTemp,
    Optional<String> matrix,
    Optional<GithubToken> token) {

  /** The public GitHub API, used when {@code GITHUB_API_URL} is unset. */
  public static final URI DEFAULT_API_URL = URI.create("https://api.github.com");

  /** The public GitHub server, used when {@code GITHUB_SERVER_URL} is unset. */
  public static final URI DEFAULT_SERVER_URL = URI.create("https://github.com");

  /** Checks that every field is present. */
  public ActionsEnvironment {
    Objects.requireNonNull(eventName, "eventName");
    Objects.requireNonNull(eventPath, "eventPath");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(sha, "sha");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(apiUrl, "apiUrl");
    Objects.requireNonNull(serverUrl, "serverUrl");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(outputFile, "outputFile");
    Objects.requireNonNull(summaryFile, "summaryFile");
    Objects.requireNonNull(runnerTemp, "runnerTemp");
    Objects.requireNonNull(matrix, "matrix");
    Objects.requireNonNull(token, "token");
  }

  /**
   * Reads the environment of a step from {@code env}.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} naming the variable, the expected and the
   *     actual value when a required variable is missing or a value is malformed
   */
  public static ActionsEnvironment from(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    String eventName = required(env, "GITHUB_EVENT_NAME");
    Path eventPath = path(env, "GITHUB_EVENT_PATH").orElseThrow(() -> missing("GITHUB_EVENT_PATH"));
    String repositoryText = required(env, "GITHUB_REPOSITORY");
    RepositoryName repository;
    try {
      repository = RepositoryName.parse(repositoryText);
    } catch (IllegalArgumentException e) {
      throw TollgateException.badInput(
          "GITHUB_REPOSITORY must be 'owner/name' but was '" + repositoryText + "'");
    }
    String sha = required(env, "GITHUB_SHA");
    if (!sha.matches("[0-9a-f]{40}")) {
      throw TollgateException.badInput(
          "GITHUB_SHA must be a 40-character commit id but was '" + sha + "'");
    }
    Optional<String> runId = optional(env, "GITHUB_RUN_ID");
    if (runId.isPresent() && !runId.get().matches("[0-9]+")) {
      throw TollgateException.badInput(
          "GITHUB_RUN_ID must be a number but was '" + runId.get() + "'");
    }
    Optional<GithubToken> token = optional(env, "GITHUB_TOKEN").map(GithubToken::of);
    return new ActionsEnvironment(
        eventName,
        eventPath,
        repository,
        sha,
        optional(env, "GITHUB_REF"),
        url(env, "GITHUB_API_URL", DEFAULT_API_URL),
        url(env, "GITHUB_SERVER_URL", DEFAULT_SERVER_URL),
        runId,
        optional(env, "GITHUB_WORKFLOW"),
        optional(env, "GITHUB_JOB"),
        path(env, "GITHUB_OUTPUT"),
        path(env, "GITHUB_STEP_SUMMARY"),
        path(env, "RUNNER_TEMP"),
        optional(env, "TOLLGATE_MATRIX"),
        token);
  }

  /**
   * The run's page, {@code $GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID},
   * which shows the job summary; empty without a run id.
   */
  public Optional<String> runUrl() {
    String server = serverUrl.toString();
    String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    return runId.map(id -> base + "/" + repository + "/actions/runs/" + id);
  }

  /**
   * Where a commit's files are on the web, {@code $GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/SHA/},
   * for links from a report to the lines it names.
   */
  public String sourceUrl(String commit) {
    String server = serverUrl.toString();
    String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    return base + "/" + repository + "/blob/" + commit + "/";
  }

  /** The sticky comment's default key: workflow, job and matrix values (see {@link CommentKey}). */
  public CommentKey defaultCommentKey() {
    return CommentKey.derive(workflow.orElse(""), job.orElse(""), matrix.orElse(""));
  }

  private static String required(Map<String, String> env, String name) {
    return optional(env, name).orElseThrow(() -> missing(name));
  }

  private static TollgateException missing(String name) {
    return TollgateException.badInput(
        name
            + " is not set; GitHub mode runs inside a GitHub Actions step, which sets it (set it"
            + " yourself to run elsewhere)");
  }

  private static Optional<String> optional(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  private static Optional<Path> path(Map<String, String> env, String name) {
    Optional<String> text = optional(env, name);
    try {
      return text.map(Path::of);
    } catch (InvalidPathException e) {
      throw TollgateException.badInput(
          name + " must be a file path but was '" + text.get() + "': " + e.getReason());
    }
  }

  private static URI url(Map<String, String> env, String name, URI fallback) {
    Optional<String> text = optional(env, name);
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      URI uri = new URI(text.get());
      String scheme = uri.getScheme();
      if (("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // Reported below with the same message as a URL of the wrong kind.
    }
    throw TollgateException.badInput(
        name + " must be an http(s) URL such as " + fallback + " but was '" + text.get() + "'");
  }
}
