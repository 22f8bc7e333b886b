package dev.tollgate.actions.github;

import dev.tollgate.actions.github.CommentResult.Action;
import dev.tollgate.actions.github.RestRepository.Comment;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps exactly one comment per key on a pull request, written by the token's own identity.
 *
 * <p>A comment is ours when it carries the key's marker <em>and</em> was written by {@code login}:
 * a marker pasted into someone else's comment is ignored. After posting, the comments are listed
 * again and only the oldest of ours is kept, so two runs that raced to create end with one comment.
 * A post whose answer was lost (5xx, dropped connection) is not repeated blindly: the comments are
 * listed to see whether it landed.
 *
 * <p>The login is asked only when a comment carries the key's marker (on a first run, none does),
 * and a comment this writer creates tells it without asking: its author is the token's identity.
 */
final class StickyCommentWriter {
  private final RestRepository repo;
  private final Supplier<String> login;
  private final Consumer<String> learned;
  private String known;

  /**
   * A writer acting as the login {@code login} gives (the author its comments will have), asked
   * only when a marked comment must be told apart; {@code learned} is told the login when a comment
   * this writer created shows it.
   */
  public StickyCommentWriter(
      RestRepository repo, Supplier<String> login, Consumer<String> learned) {
    this.repo = repo;
    this.login = login;
    this.learned = learned;
  }

  private String login() {
    if (known == null) {
      known = login.get();
    }
    return known;
  }

  private Comment created(Comment c) {
    if (known == null && !c.login().isBlank()) {
      known = c.login();
      learned.accept(known);
    }
    return c;
  }

  /** Does what {@code request} asks. */
  public CommentResult publish(CommentRequest request) {
    if (request.mode() == CommentMode.OFF) {
      return none("comments are off");
    }
    int pr = request.pullRequest();
    CommentKey key = request.key();
    List<Comment> ours = ours(pr, key);
    if (request.passed()) {
      if (request.onPass() == PassingComment.DELETE) {
        ours.forEach(repo::deleteComment);
        return ours.isEmpty()
            ? none("every gate passes and there is no comment to delete")
            : new CommentResult(
                Action.DELETED, Optional.empty(), ours.size() - 1, Optional.empty());
      }
      if (ours.isEmpty()) {
        return none("every gate passes; no earlier comment to update");
      }
      return keepOldest(ours, body(key, CommentBody.of(request.passingBody())));
    }
    String body = body(key, request.body());
    if (request.mode() == CommentMode.RECREATE) {
      ours.forEach(repo::deleteComment);
      CommentResult r = createAndReconcile(pr, key, body);
      return r.action() == Action.CREATED
          ? new CommentResult(Action.RECREATED, r.url(), r.duplicatesDeleted(), r.note())
          : r;
    }
    if (!ours.isEmpty()) {
      return keepOldest(ours, body);
    }
    return createAndReconcile(pr, key, body);
  }

  /** The marker line, then the most detailed version that fits GitHub's limit. */
  static String body(CommentKey key, CommentBody body) {
    String marker = CommentMarker.of(key) + "\n";
    int room = CommentBody.GITHUB_COMMENT_LIMIT - marker.getBytes(StandardCharsets.UTF_8).length;
    return marker + body.fit(room);
  }

  private List<Comment> ours(int pr, CommentKey key) {
    // The marker first: the login is asked only when some comment carries it.
    return repo.comments(pr).stream()
        .filter(c -> CommentMarker.marks(c.body(), key) && c.login().equalsIgnoreCase(login()))
        .sorted(Comparator.comparingLong(Comment::id))
        .toList();
  }

  /** Edits the oldest of ours to {@code body} and deletes the rest. */
  private CommentResult keepOldest(List<Comment> ours, String body) {
    Comment keep = ours.get(0);
    for (Comment extra : ours.subList(1, ours.size())) {
      repo.deleteComment(extra);
    }
    if (keep.body().equals(body)) {
      return new CommentResult(Action.UNCHANGED, keep.htmlUrl(), ours.size() - 1, Optional.empty());
    }
    repo.updateComment(keep, body);
    return new CommentResult(Action.UPDATED, keep.htmlUrl(), ours.size() - 1, Optional.empty());
  }

  private CommentResult createAndReconcile(int pr, CommentKey key, String body) {
    Optional<Comment> created;
    try {
      created = Optional.of(created(repo.createComment(pr, body)));
    } catch (GithubApiException e) {
      if (e.reason() != GithubApiException.Reason.SERVER_ERROR
          && e.reason() != GithubApiException.Reason.UNREACHABLE) {
        throw e;
      }
      // The answer was lost, not necessarily the comment: look before posting again. If one of
      // ours is there now, the newest is taken for the one this post made.
      List<Comment> landed = ours(pr, key);
      created =
          landed.isEmpty()
              ? Optional.of(created(repo.createComment(pr, body)))
              : Optional.of(landed.get(landed.size() - 1));
    }
    List<Comment> now = ours(pr, key);
    if (now.isEmpty()) {
      // Listing can lag behind a create for a moment; the comment we made is the one.
      return new CommentResult(
          Action.CREATED, created.flatMap(Comment::htmlUrl), 0, Optional.empty());
    }
    Comment keep = now.get(0);
    for (Comment extra : now.subList(1, now.size())) {
      repo.deleteComment(extra);
    }
    boolean keptMine = created.isPresent() && created.get().id() == keep.id();
    if (keptMine) {
      return new CommentResult(Action.CREATED, keep.htmlUrl(), now.size() - 1, Optional.empty());
    }
    // Another run's comment is older: it stays, with this run's text.
    if (!keep.body().equals(body)) {
      repo.updateComment(keep, body);
    }
    return new CommentResult(Action.UPDATED, keep.htmlUrl(), now.size() - 1, Optional.empty());
  }

  private static CommentResult none(String why) {
    return new CommentResult(Action.NONE, Optional.empty(), 0, Optional.of(why));
  }
}
