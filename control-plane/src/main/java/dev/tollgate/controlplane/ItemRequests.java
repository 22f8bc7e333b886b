package dev.tollgate.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.workitem.NewWorkItem;
import dev.tollgate.core.workitem.WorkItemChange;
import jakarta.servlet.http.HttpServletRequest;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A new work item or a change of one item's fields, read from an API body or a console form. The
 * work-item service then checks them against the policy, as {@code tollgate items create} and
 * {@code items set}: this class only checks that each value has its type.
 */
final class ItemRequests {
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  private static final Set<String> NEW_FIELDS =
      Set.of("id", "title", "lane", "owner", "priority", "due", "epic", "blockedBy");
  private static final Set<String> CHANGE_FIELDS =
      Set.of("owner", "priority", "due", "epic", "addBlockers", "removeBlockers");

  private ItemRequests() {}

  /**
   * The fields of a request: for each name, nothing (not given), a cleared value, or a value.
   * {@code Optional.of(Optional.empty())} clears.
   */
  interface Fields {
    Optional<Optional<String>> edit(String name);

    List<String> list(String name);

    default Optional<String> text(String name) {
      return edit(name).flatMap(v -> v);
    }
  }

  /**
   * An API body: a missing key is not given, {@code null} clears, a string or number is a value.
   */
  static Fields json(ObjectNode body, Set<String> allowed) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw ApiException.badRequest(
            "unexpected field '"
                + name
                + "'; expected "
                + String.join(", ", new java.util.TreeSet<>(allowed))
                + (name.equals("actor") ? " (the actor is the authenticated caller)" : ""),
            null);
      }
    }
    return new Fields() {
      @Override
      public Optional<Optional<String>> edit(String name) {
        JsonNode v = body.get(name);
        if (v == null) {
          return Optional.empty();
        }
        if (v.isNull()) {
          return Optional.of(Optional.empty());
        }
        if (!v.isTextual() && !v.isNumber()) {
          throw ApiException.badRequest(
              name + ": expected a string, a number or null but found " + v.getNodeType(), null);
        }
        String text = v.asText().strip();
        return Optional.of(text.isEmpty() ? Optional.empty() : Optional.of(text));
      }

      @Override
      public List<String> list(String name) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
          return List.of();
        }
        if (!v.isArray()) {
          throw ApiException.badRequest(
              name + ": expected a list of strings but found " + v.getNodeType(), null);
        }
        List<String> out = new ArrayList<>();
        v.forEach(e -> out.add(e.asText().strip()));
        return out;
      }
    };
  }

  /** A console form: every field is sent, so a blank one clears. */
  static Fields form(HttpServletRequest req) {
    return new Fields() {
      @Override
      public Optional<Optional<String>> edit(String name) {
        String v = req.getParameter(name);
        if (v == null) {
          return Optional.empty();
        }
        return Optional.of(Optional.of(v.strip()).filter(s -> !s.isEmpty()));
      }

      @Override
      public List<String> list(String name) {
        String[] values = req.getParameterValues(name);
        List<String> out = new ArrayList<>();
        if (values != null) {
          for (String v : values) {
            if (!v.isBlank()) {
              out.add(v.strip());
            }
          }
        }
        return out;
      }
    };
  }

  static Set<String> newFields() {
    return NEW_FIELDS;
  }

  static Set<String> changeFields() {
    return CHANGE_FIELDS;
  }

  /**
   * The new item {@code f} describes.
   *
   * @throws ApiException 400 for a missing id or title, a priority or date of the wrong form
   */
  static NewWorkItem newItem(Fields f) {
    String id =
        f.text("id")
            .orElseThrow(() -> ApiException.badRequest("id: expected the new item's id", null));
    String title =
        f.text("title").orElseThrow(() -> ApiException.badRequest("title: expected a title", null));
    try {
      NewWorkItem.Builder b = NewWorkItem.builder(id, title);
      f.text("lane").ifPresent(b::lane);
      f.text("owner").ifPresent(b::owner);
      f.text("priority").ifPresent(p -> b.priority(priority(p)));
      f.text("due").ifPresent(d -> b.due(date(d)));
      f.text("epic").ifPresent(b::epic);
      f.list("blockedBy").forEach(b::blockedBy);
      return b.build();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage(), null);
    }
  }

  /**
   * The change {@code f} describes: each field given is set, or cleared when empty.
   *
   * @throws ApiException 400 for a priority or date of the wrong form
   */
  static WorkItemChange change(Fields f) {
    try {
      WorkItemChange.Builder b = WorkItemChange.builder();
      f.edit("owner").ifPresent(v -> v.ifPresentOrElse(b::owner, b::clearOwner));
      f.edit("priority")
          .ifPresent(v -> v.ifPresentOrElse(p -> b.priority(priority(p)), b::clearPriority));
      f.edit("due").ifPresent(v -> v.ifPresentOrElse(d -> b.due(date(d)), b::clearDue));
      f.edit("epic").ifPresent(v -> v.ifPresentOrElse(b::epic, b::clearEpic));
      f.list("addBlockers").forEach(b::addBlocker);
      f.list("removeBlockers").forEach(b::removeBlocker);
      return b.build();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage(), null);
    }
  }

  /** A priority: a whole number from 1 (1 is the most urgent). */
  static int priority(String text) {
    try {
      int p = Integer.parseInt(text.strip());
      if (p >= 1) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badRequest(
        "priority: expected a whole number from 1 but found '" + text + "'", null);
  }

  private static LocalDate date(String text) {
    try {
      if (DATE.matcher(text).matches()) {
        return LocalDate.parse(text);
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw ApiException.badRequest(
        "due: expected a real date YYYY-MM-DD but found '" + text + "'", null);
  }
}
