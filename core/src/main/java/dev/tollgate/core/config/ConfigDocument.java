package dev.tollgate.core.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A configuration file that parsed and passed its JSON Schema: its content as a Jackson tree, and
 * where in the file every value and key was written, so that a loader's own checks can report
 * {@code file:line:column} too.
 *
 * <p>Values are addressed by JSON pointer ({@code /rules/SK009}, {@code /ignore/0/path}); the empty
 * pointer is the whole document.
 */
@API(status = INTERNAL, since = "0.1.0")
public final class ConfigDocument {
  /** The rule id of every diagnostic about a configuration file. */
  public static final String RULE_ID = "config";

  private final String file;
  private final JsonNode root;
  private final Map<String, NodeSource> sources;

  ConfigDocument(String file, JsonNode root, Map<String, NodeSource> sources) {
    this.file = Objects.requireNonNull(file, "file");
    this.root = Objects.requireNonNull(root, "root");
    this.sources = Map.copyOf(sources);
  }

  /** Where a value was written, where its key was, and the text the user typed for it. */
  record NodeSource(Location value, Location key, String text) {}

  /** The path of the file as shown to users, relative to the project root. */
  public String file() {
    return file;
  }

  /** The document's content; an empty file is an empty object. */
  public JsonNode root() {
    return root;
  }

  /**
   * Where the value at {@code pointer} starts; for a pointer that names nothing in the file (a
   * missing key), where its closest existing parent starts.
   */
  public Location locate(String pointer) {
    String p = pointer;
    while (true) {
      NodeSource s = sources.get(p);
      if (s != null) {
        return s.value();
      }
      if (p.isEmpty()) {
        return Location.of(file, 1, 1);
      }
      p = parent(p);
    }
  }

  /**
   * Where the key of the mapping entry at {@code pointer} starts: the better place for "unknown
   * key" and "unknown rule id". For a list item or the document itself, where its value starts.
   */
  public Location locateKey(String pointer) {
    NodeSource s = sources.get(pointer);
    if (s != null && s.key() != null) {
      return s.key();
    }
    return locate(pointer);
  }

  /**
   * The value at {@code pointer} as the user typed it, for "but was ..." in messages: {@code
   * 'loud'} for a scalar, {@code a mapping}, {@code a list} or {@code empty}.
   */
  public String describe(String pointer) {
    NodeSource s = sources.get(pointer);
    JsonNode node = root.at(pointer);
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (s == null) {
      return "missing";
    }
    if (node.isNull() && s.text().isEmpty()) {
      return "empty";
    }
    return "'" + s.text() + "'";
  }

  /**
   * How people read a pointer: {@code rules.SK009}, {@code ignore[0].path}; the empty pointer is
   * {@code the document}.
   */
  public String displayPath(String pointer) {
    if (pointer.isEmpty()) {
      return "the document";
    }
    StringBuilder out = new StringBuilder();
    JsonNode node = root;
    for (String segment : segments(pointer)) {
      if (node != null && node.isArray()) {
        out.append('[').append(segment).append(']');
        node = node.path(parseIndex(segment));
      } else {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(segment);
        node = node == null ? null : node.get(segment);
      }
    }
    return out.toString();
  }

  /** An error about the value at {@code pointer}, with a hint that may be {@code null}. */
  public Diagnostic error(String pointer, String message, String hint) {
    return Diagnostic.of(Severity.ERROR, RULE_ID, message, locate(pointer), hint);
  }

  /** An error about the key of the mapping entry at {@code pointer}, with an optional hint. */
  public Diagnostic keyError(String pointer, String message, String hint) {
    return Diagnostic.of(Severity.ERROR, RULE_ID, message, locateKey(pointer), hint);
  }

  /** The pointer of a member of the object at {@code pointer}. */
  public static String child(String pointer, String key) {
    return pointer + "/" + key.replace("~", "~0").replace("/", "~1");
  }

  /** The pointer of an item of the array at {@code pointer}. */
  public static String child(String pointer, int index) {
    return pointer + "/" + index;
  }

  static String parent(String pointer) {
    int slash = pointer.lastIndexOf('/');
    return slash <= 0 ? "" : pointer.substring(0, slash);
  }

  static List<String> segments(String pointer) {
    List<String> out = new ArrayList<>();
    if (pointer.isEmpty()) {
      return out;
    }
    for (String raw : pointer.substring(1).split("/", -1)) {
      out.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  private static int parseIndex(String segment) {
    try {
      return Integer.parseInt(segment);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
