package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import org.apiguardian.api.API;

/**
 * The event that started a workflow run, read from its webhook payload ({@code
 * $GITHUB_EVENT_PATH}): one of the {@link #SUPPORTED} events, each with the facts the gate needs.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public sealed interface GithubEvent {

  /** The events Tollgate's GitHub mode understands. */
  List<String> SUPPORTED =
      List.of(
          "pull_request",
          "pull_request_target",
          "push",
          "merge_group",
          "workflow_dispatch",
          "issue_comment");

  /** The event's name, e.g. {@code pull_request}. */
  String name();

  /**
   * A pull request was opened, pushed to, labelled… ({@code pull_request} or {@code
   * pull_request_target}, whose payloads have the same shape).
   *
   * @param name {@code pull_request} or {@code pull_request_target}
   * @param action what happened, e.g. {@code synchronize}
   * @param number the pull request's number
   * @param title its title
   * @param headRef its head branch, e.g. {@code bf/BF-274-rounding}
   * @param headSha the head commit
   * @param headRepository the head's repository, {@code owner/name}; empty when it was deleted
   * @param baseRef the branch it merges into
   * @param baseSha the base commit when the event fired
   * @param baseRepository the repository it merges into
   * @param labels its labels' names, in payload order
   */
  record PullRequest(
      String name,
      String action,
      int number,
      String title,
      String headRef,
      String headSha,
      Optional<String> headRepository,
      String baseRef,
      String baseSha,
      String baseRepository,
      List<String> labels)
      implements GithubEvent {
    /** Copies the labels. */
    public PullRequest {
      labels = List.copyOf(labels);
    }

    /** Whether the head lives in another repository (a fork), whose runs get a read-only token. */
    public boolean fromFork() {
      return headRepository.map(h -> !h.equalsIgnoreCase(baseRepository)).orElse(true);
    }
  }

  /**
   * Commits were pushed to a branch or tag.
   *
   * @param ref the full ref, e.g. {@code refs/heads/main}
   * @param before the commit the ref pointed at before; empty for a new ref
   * @param after the commit it points at now
   * @param defaultBranch the repository's default branch, e.g. {@code main}
   */
  record Push(String ref, Optional<String> before, String after, Optional<String> defaultBranch)
      implements GithubEvent {
    @Override
    public String name() {
      return "push";
    }

    /** The branch pushed to, or empty for a tag. */
    public Optional<String> branch() {
      return ref.startsWith("refs/heads/")
          ? Optional.of(ref.substring("refs/heads/".length()))
          : Optional.empty();
    }
  }

  /**
   * A merge queue asks for checks on a merge group: the queued pull requests merged onto the base.
   *
   * @param headRef the group's temporary branch, {@code
   *     refs/heads/gh-readonly-queue/<base>/pr-<n>-<sha>}
   * @param headSha the group's commit, where statuses must go
   * @param baseRef the branch the group merges into, {@code refs/heads/main}
   * @param baseSha the base commit
   * @param pullRequest the pull request the head branch names (the last one queued); empty when the
   *     branch name does not say
   */
  record MergeGroup(
      String headRef, String headSha, String baseRef, String baseSha, OptionalInt pullRequest)
      implements GithubEvent {
    @Override
    public String name() {
      return "merge_group";
    }
  }

  /**
   * Someone started the workflow by hand.
   *
   * @param ref the ref it runs on, e.g. {@code refs/heads/main}
   * @param sha the commit it runs on ({@code $GITHUB_SHA}; the payload does not carry it)
   * @param inputs the inputs given, as text
   */
  record WorkflowDispatch(String ref, String sha, Map<String, String> inputs)
      implements GithubEvent {
    /** Copies the inputs. */
    public WorkflowDispatch {
      inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }

    @Override
    public String name() {
      return "workflow_dispatch";
    }
  }

  /**
   * A comment was written on an issue or a pull request (a command like {@code /tollgate gate}).
   *
   * @param action what happened, e.g. {@code created}
   * @param number the issue or pull request's number
   * @param onPullRequest whether it is a pull request (the payload's {@code issue.pull_request})
   * @param commenter who wrote the comment
   * @param body the comment's text
   */
  record IssueComment(
      String action, int number, boolean onPullRequest, String commenter, String body)
      implements GithubEvent {
    @Override
    public String name() {
      return "issue_comment";
    }
  }

  /**
   * Reads the payload file {@code env.eventPath()} of event {@code env.eventName()}.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} for an unsupported event (naming the
   *     supported ones), a missing or unreadable file, or a payload without the fields needed
   */
  static GithubEvent read(ActionsEnvironment env) {
    checkSupported(env.eventName());
    String json;
    try {
      json = Files.readString(env.eventPath(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw TollgateException.badInput(
          "GITHUB_EVENT_PATH names " + env.eventPath() + ", which does not exist");
    } catch (IOException e) {
      throw TollgateException.badInput(
          "GITHUB_EVENT_PATH " + env.eventPath() + " cannot be read: " + e.getMessage());
    }
    return parse(env.eventName(), json, env.sha());
  }

  /**
   * Parses the payload {@code json} of event {@code name}; {@code sha} is {@code $GITHUB_SHA},
   * needed for events whose payload names no commit.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} as {@link #read} does
   */
  static GithubEvent parse(String name, String json, String sha) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(sha, "sha");
    checkSupported(name);
    JsonNode root;
    try {
      root = EventPayload.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw TollgateException.badInput(
          "the " + name + " event payload is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw TollgateException.badInput("the " + name + " event payload is not a JSON object");
    }
    EventPayload p = new EventPayload(name, root);
    return switch (name) {
      case "pull_request", "pull_request_target" -> {
        List<String> labels = new ArrayList<>();
        for (JsonNode l : p.node("pull_request.labels")) {
          if (l.hasNonNull("name")) {
            labels.add(l.get("name").asText());
          }
        }
        yield new PullRequest(
            name,
            p.text("action"),
            p.number("pull_request.number"),
            p.text("pull_request.title"),
            p.text("pull_request.head.ref"),
            p.sha("pull_request.head.sha"),
            p.optionalText("pull_request.head.repo.full_name"),
            p.text("pull_request.base.ref"),
            p.sha("pull_request.base.sha"),
            p.text("pull_request.base.repo.full_name"),
            labels);
      }
      case "push" -> {
        String before = p.sha("before");
        yield new Push(
            p.text("ref"),
            before.matches("0{40}") ? Optional.empty() : Optional.of(before),
            p.sha("after"),
            p.optionalText("repository.default_branch"));
      }
      case "merge_group" -> {
        String headRef = p.text("merge_group.head_ref");
        yield new MergeGroup(
            headRef,
            p.sha("merge_group.head_sha"),
            p.text("merge_group.base_ref"),
            p.sha("merge_group.base_sha"),
            queuedPullRequest(headRef));
      }
      case "workflow_dispatch" -> {
        Map<String, String> inputs = new LinkedHashMap<>();
        JsonNode in = root.path("inputs");
        for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          inputs.put(
              e.getKey(),
              e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
        }
        yield new WorkflowDispatch(p.text("ref"), sha, inputs);
      }
      case "issue_comment" ->
          new IssueComment(
              p.text("action"),
              p.number("issue.number"),
              root.path("issue").hasNonNull("pull_request"),
              p.text("comment.user.login"),
              p.optionalText("comment.body").orElse(""));
      default -> throw new IllegalStateException("unreachable: " + name);
    };
  }

  /** The pull request a merge-queue branch names: {@code gh-readonly-queue/<base>/pr-<n>-<sha>}. */
  private static OptionalInt queuedPullRequest(String headRef) {
    Matcher m = EventPayload.QUEUE_BRANCH.matcher(headRef);
    if (m.find()) {
      try {
        return OptionalInt.of(Integer.parseInt(m.group(1)));
      } catch (NumberFormatException e) {
        return OptionalInt.empty();
      }
    }
    return OptionalInt.empty();
  }

  private static void checkSupported(String name) {
    if (!SUPPORTED.contains(name)) {
      throw TollgateException.badInput(
          "the GitHub event '"
              + name
              + "' is not supported; supported events: "
              + String.join(", ", SUPPORTED));
    }
  }
}
