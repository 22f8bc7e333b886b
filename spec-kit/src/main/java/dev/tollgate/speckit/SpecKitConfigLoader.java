package dev.tollgate.speckit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.config.ConfigDocument;
import dev.tollgate.core.config.ConfigSchema;
import dev.tollgate.core.config.DidYouMean;
import dev.tollgate.core.config.YamlConfig;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.PatternSyntaxException;
import org.apiguardian.api.API;

/**
 * The reader of {@code .tollgate/spec-kit.yml}: checks the file against its JSON Schema and the
 * rule catalog and turns it into a {@link SpecKitConfig}.
 *
 * <pre>{@code
 * strict: false
 * rules:
 *   SK009: off        # error | warning | info | off
 *   SK020: info
 * ignore:
 *   - path: specs/000-archive/**
 *   - path: specs/002-legacy/tasks.md
 *     rules: [SK020, SK026]
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class SpecKitConfigLoader {
  private SpecKitConfigLoader() {}

  /** Where the file lives, relative to the project root. */
  public static final String DEFAULT_PATH = ".tollgate/spec-kit.yml";

  private static final ConfigSchema SCHEMA =
      ConfigSchema.fromResource(SpecKitConfigLoader.class, "spec-kit-config.schema.json");

  /**
   * The configuration of the project at {@code projectRoot}: its {@code .tollgate/spec-kit.yml}, or
   * {@link SpecKitConfig#defaults()} when there is none.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when the file is not valid
   */
  public static SpecKitConfig load(Path projectRoot) {
    Objects.requireNonNull(projectRoot, "projectRoot");
    Path file = projectRoot.resolve(DEFAULT_PATH);
    if (!Files.exists(file)) {
      return SpecKitConfig.defaults();
    }
    return loadFile(file, DEFAULT_PATH);
  }

  /**
   * The configuration in {@code file}, which must exist; messages name it {@code displayPath}.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when the file is missing or not valid
   */
  public static SpecKitConfig loadFile(Path file, String displayPath) {
    return toConfig(YamlConfig.load(file, displayPath, SCHEMA));
  }

  /** The configuration in {@code text}; for tests and for configs that do not live in a file. */
  public static SpecKitConfig parse(String text, String displayPath) {
    return toConfig(YamlConfig.parse(text, displayPath, SCHEMA));
  }

  private static SpecKitConfig toConfig(ConfigDocument doc) {
    List<Diagnostic> errors = new ArrayList<>();
    JsonNode root = doc.root();
    Map<String, Severity> severities = new HashMap<>();
    Set<String> disabled = new HashSet<>();
    Iterator<Map.Entry<String, JsonNode>> rules = root.path("rules").fields();
    while (rules.hasNext()) {
      Map.Entry<String, JsonNode> rule = rules.next();
      String pointer = ConfigDocument.child("/rules", rule.getKey());
      if (!knownRule(rule.getKey(), pointer, doc, errors)) {
        continue;
      }
      String level = rule.getValue().asText();
      if (level.equals("off")) {
        disabled.add(rule.getKey());
      } else {
        severities.put(rule.getKey(), Severity.parse(level).orElseThrow());
      }
    }
    List<SpecKitConfig.Ignore> ignores = new ArrayList<>();
    JsonNode ignoreList = root.path("ignore");
    for (int i = 0; i < ignoreList.size(); i++) {
      String itemPointer = ConfigDocument.child("/ignore", i);
      JsonNode item = ignoreList.get(i);
      String glob = item.path("path").asText();
      boolean ok = validGlob(glob, ConfigDocument.child(itemPointer, "path"), doc, errors);
      Set<String> ids = new LinkedHashSet<>();
      JsonNode ruleList = item.path("rules");
      for (int j = 0; j < ruleList.size(); j++) {
        String id = ruleList.get(j).asText();
        String rulePointer = ConfigDocument.child(ConfigDocument.child(itemPointer, "rules"), j);
        ok &= knownRule(id, rulePointer, doc, errors);
        ids.add(id);
      }
      if (ok) {
        ignores.add(new SpecKitConfig.Ignore(glob, ids));
      }
    }
    if (!errors.isEmpty()) {
      throw YamlConfig.invalid(doc.file(), errors);
    }
    return new SpecKitConfig(severities, disabled, ignores, root.path("strict").asBoolean(false));
  }

  private static boolean knownRule(
      String id, String pointer, ConfigDocument doc, List<Diagnostic> errors) {
    if (SpecKitRules.byId(id).isPresent()) {
      return true;
    }
    List<String> ids = SpecKitRules.all().stream().map(r -> r.id()).toList();
    String message = "unknown rule id '" + id + "'";
    String suggestion = DidYouMean.suggest(id, ids).orElse(null);
    if (suggestion != null) {
      message += "; did you mean `" + suggestion + "`?";
    }
    errors.add(
        doc.keyError(
            pointer,
            message,
            "Rule ids are listed in docs/rules/ ("
                + ids.get(0)
                + " to "
                + ids.get(ids.size() - 1)
                + ")."));
    return false;
  }

  private static boolean validGlob(
      String glob, String pointer, ConfigDocument doc, List<Diagnostic> errors) {
    try {
      FileSystems.getDefault().getPathMatcher("glob:" + glob);
    } catch (IllegalArgumentException e) {
      errors.add(
          doc.error(
              pointer,
              doc.displayPath(pointer) + " must be a valid glob but was " + doc.describe(pointer),
              e instanceof PatternSyntaxException p ? p.getDescription() : e.getMessage()));
      return false;
    }
    if (glob.startsWith("/") || glob.contains("\\")) {
      errors.add(
          doc.error(
              pointer,
              doc.displayPath(pointer)
                  + " must be a path relative to the project root with '/' separators but was "
                  + doc.describe(pointer),
              null));
      return false;
    }
    return true;
  }
}
