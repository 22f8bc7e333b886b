package dev.tollgate.actions.github;

import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;
import org.kohsuke.github.GHEventPayload;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;

/**
 * The repository and pull request an event's webhook payload carries, read by hub4j and bound to
 * the client, so that requests about them (comments, statuses) need no {@code GET} of the
 * repository or the pull request first.
 *
 * <p>They are used only to address requests: what the pull request is like <em>now</em> (its head,
 * its files) is still read from the API where it matters.
 *
 * @param repository the repository, with its owner and name
 * @param pullRequest the pull request of a {@code pull_request} or {@code pull_request_target}
 *     event; empty for other events
 */
record PayloadObjects(GHRepository repository, Optional<GHPullRequest> pullRequest) {

  /**
   * The objects of {@code json}, the payload of event {@code eventName}; empty when hub4j has no
   * type for the event ({@code merge_group}), the payload cannot be read, or it lacks the
   * repository's owner and name. Never throws: without them, the objects are read from the API.
   */
  public static Optional<PayloadObjects> parse(GitHub github, String eventName, String json) {
    Class<? extends GHEventPayload> type =
        switch (eventName) {
          case "pull_request", "pull_request_target" -> GHEventPayload.PullRequest.class;
          case "issue_comment" -> GHEventPayload.IssueComment.class;
          case "push" -> GHEventPayload.Push.class;
          case "workflow_dispatch" -> GHEventPayload.WorkflowDispatch.class;
          default -> null;
        };
    if (type == null || json == null || json.isBlank()) {
      return Optional.empty();
    }
    GHEventPayload payload;
    try {
      payload = github.parseEventPayload(new StringReader(json), type);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    GHRepository repository = payload.getRepository();
    if (repository == null || !addressable(repository)) {
      return Optional.empty();
    }
    Optional<GHPullRequest> pr =
        payload instanceof GHEventPayload.PullRequest p
            ? Optional.ofNullable(p.getPullRequest()).filter(x -> x.getNumber() > 0)
            : Optional.empty();
    return Optional.of(new PayloadObjects(repository, pr));
  }

  private static boolean addressable(GHRepository r) {
    try {
      return r.getOwnerName() != null
          && r.getName() != null
          && r.getFullName() != null
          && r.getFullName().equalsIgnoreCase(r.getOwnerName() + "/" + r.getName());
    } catch (RuntimeException noOwner) {
      return false;
    }
  }

  /** Whether these objects belong to repository {@code name}. */
  public boolean isOf(RepositoryName name) {
    return repository.getFullName().equalsIgnoreCase(name.toString());
  }
}
