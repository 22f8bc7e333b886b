package dev.tollgate.core.workitem;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.TollgateException;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The JSON Schema every work-item file satisfies ({@code work-item.schema.json}), applied to items
 * built in code before they are written, whatever store keeps them.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class WorkItemSchema {
  private WorkItemSchema() {}

  /**
   * The YAML text a work-item file holds for {@code item}: keys in schema order, values quoted
   * where YAML would read them otherwise, ending with a newline.
   */
  public static String yaml(WorkItem item) {
    return WorkItemYaml.write(Objects.requireNonNull(item, "item"));
  }

  /**
   * Checks that {@code item}, written as its file would hold it, satisfies the schema and reads
   * back as the same item.
   *
   * @param displayPath the file as shown in messages, e.g. {@code work-items/wi-1.yml}
   * @throws TollgateException of kind {@code BAD_INPUT} with a diagnostic per problem, located in
   *     the text {@link #yaml} gives
   */
  public static void check(WorkItem item, String displayPath) {
    Objects.requireNonNull(displayPath, "displayPath");
    WorkItemYaml.Read read = WorkItemYaml.read(yaml(item), displayPath);
    if (!read.errors().isEmpty()) {
      throw dev.tollgate.core.config.YamlConfig.invalid(displayPath, read.errors());
    }
    if (!read.item().equals(java.util.Optional.of(item))) {
      throw TollgateException.badInput(
          displayPath + ": the work item " + item.id() + " does not read back as it was written");
    }
  }
}
