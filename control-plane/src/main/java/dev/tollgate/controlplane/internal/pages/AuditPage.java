package dev.tollgate.controlplane.internal.pages;

import java.util.List;

/**
 * The audit log, newest first, one page at a time: who did what, on what, when, and how it ended.
 *
 * @param frame the frame
 * @param actor the actor the page is filtered by, or empty for everyone
 * @param entries the entries of this page
 * @param next the link to the following (older) page, or empty on the last
 * @param failures how many entries could not be written since the server started
 */
public record AuditPage(
    Frame frame, String actor, List<Entry> entries, String next, long failures) {

  /**
   * One entry.
   *
   * @param at when, as an ISO-8601 instant
   * @param actor who
   * @param action what, e.g. {@code POST /api/deploys/promotions/{id}/deploy}
   * @param target on what, e.g. the request's path
   * @param status the answer's status
   * @param result {@code done} or {@code refused}
   * @param message why it was refused, or empty
   */
  public record Entry(
      String at,
      String actor,
      String action,
      String target,
      int status,
      String result,
      String message) {}
}
