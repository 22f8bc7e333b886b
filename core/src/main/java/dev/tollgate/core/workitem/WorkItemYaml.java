package dev.tollgate.core.workitem;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.config.ConfigDocument;
import dev.tollgate.core.config.ConfigSchema;
import dev.tollgate.core.config.YamlConfig;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The YAML form of a work item: reads a schema-checked {@link ConfigDocument} into a {@link
 * WorkItem}, and writes a {@link WorkItem} back as YAML in a fixed key order.
 */
final class WorkItemYaml {
  /** The JSON Schema every work-item file must satisfy. */
  public static final ConfigSchema SCHEMA =
      ConfigSchema.fromResource(
          WorkItemYaml.class, "/dev/tollgate/core/workitem/work-item.schema.json");

  /** Text that YAML 1.2 core and 1.1 both read back as the same plain string. */
  private static final Pattern PLAIN =
      Pattern.compile("[A-Za-z][A-Za-z0-9_./-]*(?: [A-Za-z0-9_./()-]+)*");

  private static final Set<String> RESERVED =
      Set.of("true", "false", "null", "yes", "no", "on", "off", "y", "n");

  private WorkItemYaml() {}

  /** The result of reading one file: the item, or the problems that prevented it. */
  public record Read(Optional<WorkItem> item, List<Diagnostic> errors) {}

  /** Parses and checks {@code text}; schema errors are thrown, semantic ones returned. */
  public static Read read(String text, String displayPath) {
    return toItem(YamlConfig.parse(text, displayPath, SCHEMA));
  }

  /** Turns a schema-valid document into an item, collecting the checks the schema cannot make. */
  public static Read toItem(ConfigDocument doc) {
    JsonNode root = doc.root();
    List<Diagnostic> errors = new ArrayList<>();
    WorkItem.Builder b =
        WorkItem.builder(
                root.path("id").asText(), root.path("title").asText(), root.path("lane").asText())
            .status(WorkItemStatus.parse(root.path("status").asText()).orElseThrow());
    b.description(text(root, "description"))
        .epic(text(root, "epic"))
        .state(text(root, "state"))
        .owner(text(root, "owner"))
        .workType(text(root, "work_type"))
        .source(text(root, "source"))
        .branch(text(root, "branch"))
        .validation(text(root, "validation"))
        .pr(text(root, "pr"))
        .prompt(text(root, "prompt"))
        .doneCriteria(strings(root.path("done_criteria")))
        .blockers(strings(root.path("blockers")));
    String prompt = text(root, "prompt");
    if (prompt != null && !prompt.isBlank() && !WorkItem.isProjectPath(prompt)) {
      errors.add(
          doc.error(
              "/prompt",
              "prompt must be a path inside the project "
                  + WorkItem.PROJECT_PATH_RULE
                  + " but was "
                  + doc.describe("/prompt"),
              "Keep prompt files in the repository, e.g. work-items/prompts/<id>.prompt.md."));
    }
    if (root.has("priority")) {
      b.priority(root.get("priority").asInt());
    }
    if (root.hasNonNull("due")) {
      try {
        b.due(LocalDate.parse(root.get("due").asText()));
      } catch (DateTimeParseException e) {
        errors.add(
            doc.error(
                "/due", "due must be a real calendar date but was " + doc.describe("/due"), null));
      }
    }
    JsonNode history = root.path("history");
    for (int i = 0; i < history.size(); i++) {
      String pointer = ConfigDocument.child("/history", i);
      JsonNode h = history.get(i);
      Instant at;
      try {
        at = Instant.parse(h.path("at").asText());
      } catch (DateTimeParseException e) {
        String atPointer = ConfigDocument.child(pointer, "at");
        errors.add(
            doc.error(
                atPointer,
                doc.displayPath(atPointer)
                    + " must be an ISO-8601 instant like 2025-03-01T09:30:00Z but was "
                    + doc.describe(atPointer),
                null));
        continue;
      }
      if (h.has("from") != h.has("to")) {
        errors.add(
            doc.error(
                pointer,
                doc.displayPath(pointer) + " must have both 'from' and 'to' or neither",
                null));
        continue;
      }
      b.addHistory(
          new HistoryEntry(
              at,
              h.path("actor").asText(),
              h.path("action").asText(),
              Optional.ofNullable(text(h, "from")),
              Optional.ofNullable(text(h, "to")),
              Optional.ofNullable(text(h, "note"))));
    }
    if (!errors.isEmpty()) {
      return new Read(Optional.empty(), errors);
    }
    return new Read(Optional.of(b.build()), List.of());
  }

  private static String text(JsonNode node, String key) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  /** The YAML text of {@code item}, keys in schema order, ending with a newline. */
  public static String write(WorkItem item) {
    StringBuilder out = new StringBuilder();
    scalar(out, "id", item.id());
    scalar(out, "title", item.title());
    item.description().ifPresent(v -> scalar(out, "description", v));
    item.epic().ifPresent(v -> scalar(out, "epic", v));
    scalar(out, "lane", item.lane());
    item.state().ifPresent(v -> scalar(out, "state", v));
    scalar(out, "status", item.status().label());
    item.priority().ifPresent(v -> out.append("priority: ").append(v).append('\n'));
    item.owner().ifPresent(v -> scalar(out, "owner", v));
    item.due().ifPresent(v -> scalar(out, "due", v.toString()));
    item.workType().ifPresent(v -> scalar(out, "work_type", v));
    item.source().ifPresent(v -> scalar(out, "source", v));
    item.branch().ifPresent(v -> scalar(out, "branch", v));
    item.validation().ifPresent(v -> scalar(out, "validation", v));
    item.pr().ifPresent(v -> scalar(out, "pr", v));
    item.prompt().ifPresent(v -> scalar(out, "prompt", v));
    list(out, "done_criteria", item.doneCriteria());
    list(out, "blockers", item.blockers());
    if (!item.history().isEmpty()) {
      out.append("history:\n");
      for (HistoryEntry h : item.history()) {
        out.append("  - at: ").append(quote(h.at().toString())).append('\n');
        out.append("    actor: ").append(quote(h.actor())).append('\n');
        out.append("    action: ").append(quote(h.action())).append('\n');
        h.from().ifPresent(v -> out.append("    from: ").append(quote(v)).append('\n'));
        h.to().ifPresent(v -> out.append("    to: ").append(quote(v)).append('\n'));
        h.note().ifPresent(v -> out.append("    note: ").append(quote(v)).append('\n'));
      }
    }
    return out.toString();
  }

  private static void scalar(StringBuilder out, String key, String value) {
    out.append(key).append(": ").append(quote(value)).append('\n');
  }

  private static void list(StringBuilder out, String key, List<String> values) {
    if (values.isEmpty()) {
      return;
    }
    out.append(key).append(":\n");
    values.forEach(v -> out.append("  - ").append(quote(v)).append('\n'));
  }

  /**
   * The value as a plain scalar when that is unambiguous, else as a JSON string (a valid YAML
   * double-quoted scalar), so what is written is always read back as the same string.
   */
  static String quote(String value) {
    if (PLAIN.matcher(value).matches()
        && !RESERVED.contains(value.toLowerCase(java.util.Locale.ROOT))) {
      return value;
    }
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
  }
}
