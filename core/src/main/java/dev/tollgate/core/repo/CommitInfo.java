package dev.tollgate.core.repo;

import java.time.Instant;
import java.util.Objects;

/**
 * One commit as Tollgate shows it.
 *
 * @param id the full object id
 * @param shortMessage the first line of the message
 * @param message the full message
 * @param author the author's name
 * @param time when it was committed
 */
public record CommitInfo(
    String id, String shortMessage, String message, String author, Instant time) {

  /** Checks that every part is present. */
  public CommitInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(shortMessage, "shortMessage");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(time, "time");
  }

  /** The first seven characters of the id, as {@code git log --oneline} shows it. */
  public String abbreviated() {
    return abbreviate(id);
  }

  /**
   * The first seven characters of a commit id, as {@code git log --oneline} shows it; a shorter
   * text is returned as it is.
   */
  public static String abbreviate(String id) {
    return id.length() <= 7 ? id : id.substring(0, 7);
  }
}
