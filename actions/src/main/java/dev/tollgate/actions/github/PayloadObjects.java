package dev.tollgate.actions.github;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The repository and pull request an event's webhook payload carries, so that requests about them
 * (comments, statuses) need no {@code GET} of the repository or the pull request first.
 *
 * <p>They are used only to address requests: what the pull request is like <em>now</em> (its head,
 * its files) is still read from the API where it matters.
 *
 * @param owner the repository's owner
 * @param name the repository's name
 * @param fullName {@code owner/name} as the payload spells it
 * @param pullRequest the number of the pull request of a {@code pull_request} or {@code
 *     pull_request_target} event; empty for other events
 */
record PayloadObjects(String owner, String name, String fullName, OptionalInt pullRequest) {

  /**
   * The objects of {@code json}, the payload of event {@code eventName}; empty for an event whose
   * payload is not read this way ({@code merge_group}), a payload that cannot be read, or one that
   * lacks the repository's owner and name. Never throws: without them, the objects are read from
   * the API.
   */
  public static Optional<PayloadObjects> parse(String eventName, String json) {
    boolean pullRequestEvent =
        eventName.equals("pull_request") || eventName.equals("pull_request_target");
    boolean read =
        pullRequestEvent
            || eventName.equals("issue_comment")
            || eventName.equals("push")
            || eventName.equals("workflow_dispatch");
    if (!read || json == null || json.isBlank()) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = EventPayload.MAPPER.readTree(json);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    if (root == null || !root.isObject()) {
      return Optional.empty();
    }
    JsonNode repository = root.path("repository");
    JsonNode owner = repository.path("owner");
    // A push payload's owner has a name beside its login; the login addresses the API.
    String ownerName = RestRepository.text(owner.path("login"));
    if (ownerName == null) {
      ownerName = RestRepository.text(owner.path("name"));
    }
    String name = RestRepository.text(repository.path("name"));
    String fullName = RestRepository.text(repository.path("full_name"));
    if (ownerName == null
        || name == null
        || fullName == null
        || !fullName.equalsIgnoreCase(ownerName + "/" + name)) {
      return Optional.empty();
    }
    OptionalInt pr = OptionalInt.empty();
    if (pullRequestEvent) {
      JsonNode number = root.path("pull_request").path("number");
      if (number.canConvertToInt() && number.asInt() > 0) {
        pr = OptionalInt.of(number.asInt());
      }
    }
    return Optional.of(new PayloadObjects(ownerName, name, fullName, pr));
  }

  /** Whether these objects belong to repository {@code name}. */
  public boolean isOf(RepositoryName repository) {
    return fullName.equalsIgnoreCase(repository.toString());
  }
}
