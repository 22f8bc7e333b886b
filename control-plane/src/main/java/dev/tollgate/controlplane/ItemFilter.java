package dev.tollgate.controlplane;

import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.core.workitem.WorkItemStatus;
import dev.tollgate.policy.PolicyEngine;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The backlog filters the API's item list and the console's board share: {@code epic}, {@code
 * status}, {@code priority}, {@code owner}, {@code lane} and {@code q} (text in the id or title),
 * each applied when given, all together.
 */
final class ItemFilter {
  /** The filters' names, in the order the board's form shows them. */
  static final java.util.List<String> NAMES =
      java.util.List.of("q", "epic", "status", "owner", "priority", "lane");

  private ItemFilter() {}

  /**
   * The filter {@code param} gives (a parameter's value by name; empty when not given).
   *
   * @throws ApiException 400 naming what was expected for an unknown lane or status or a priority
   *     that is not a whole number from 1
   */
  static Predicate<WorkItem> of(PolicyEngine engine, Function<String, Optional<String>> param) {
    Predicate<WorkItem> filter = item -> true;
    Optional<String> epic = param.apply("epic");
    if (epic.isPresent()) {
      filter = filter.and(i -> i.epic().equals(epic));
    }
    Optional<String> lane = param.apply("lane");
    if (lane.isPresent()) {
      if (engine.policy().lane(lane.get()).isEmpty()) {
        throw ApiException.badRequest(
            "query parameter lane: expected one of "
                + String.join(", ", engine.policy().laneIds())
                + " but found '"
                + lane.get()
                + "'",
            null);
      }
      filter = filter.and(i -> i.lane().equals(lane.get()));
    }
    Optional<String> status = param.apply("status");
    if (status.isPresent()) {
      WorkItemStatus s =
          WorkItemStatus.parse(status.get())
              .orElseThrow(
                  () ->
                      ApiException.badRequest(
                          "query parameter status: expected a work-item status such as open or"
                              + " in-progress but found '"
                              + status.get()
                              + "'",
                          null));
      filter = filter.and(i -> i.status() == s);
    }
    Optional<String> owner = param.apply("owner");
    if (owner.isPresent()) {
      filter = filter.and(i -> i.owner().equals(owner));
    }
    Optional<String> priority = param.apply("priority");
    if (priority.isPresent()) {
      int p;
      try {
        p = ItemRequests.priority(priority.get());
      } catch (ApiException e) {
        throw ApiException.badRequest("query parameter " + e.diagnostic().message(), null);
      }
      filter = filter.and(i -> i.priority().isPresent() && i.priority().getAsInt() == p);
    }
    Optional<String> text = param.apply("q").map(q -> q.toLowerCase(Locale.ROOT));
    if (text.isPresent()) {
      filter =
          filter.and(i -> (i.id() + " " + i.title()).toLowerCase(Locale.ROOT).contains(text.get()));
    }
    return filter;
  }
}
