package dev.tollgate.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Converts a composed SnakeYAML node graph into a Jackson tree, recording where every value and key
 * came from and rejecting what JSON cannot say or a config file should not: duplicate keys,
 * non-scalar keys, unknown tags, and alias expansions that grow without bound.
 */
final class YamlTree {
  /**
   * More values than any sane config file has; stops alias "billion laughs" expansion. {@link
   * GuardedParser} refuses such documents first, at the alias that crosses the limit.
   */
  static final int MAX_NODES = 100_000;

  /** More levels of nested lists and mappings than any sane config has. */
  static final int MAX_DEPTH = 64;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final String file;
  private final Map<String, ConfigDocument.NodeSource> sources = new HashMap<>();
  private final List<Diagnostic> errors = new ArrayList<>();
  private int nodes;

  private YamlTree(String file) {
    this.file = file;
  }

  /** The result of a conversion: the tree and its sources, or the errors that prevented it. */
  record Converted(ConfigDocument document, List<Diagnostic> errors) {}

  static Converted convert(Node root, String file) {
    YamlTree tree = new YamlTree(file);
    JsonNode json;
    if (root == null) {
      json = JSON.objectNode();
      tree.sources.put("", new ConfigDocument.NodeSource(Location.of(file, 1, 1), null, ""));
    } else {
      try {
        json = tree.convert(root, "", null, 0);
      } catch (TooBig e) {
        tree.errors.clear();
        tree.errors.add(tree.error(e.mark, e.getMessage(), null));
        json = JSON.objectNode();
      }
    }
    return new Converted(new ConfigDocument(file, json, tree.sources), List.copyOf(tree.errors));
  }

  private JsonNode convert(Node node, String pointer, Location key, int depth) {
    if (++nodes > MAX_NODES) {
      throw new TooBig(
          "the document expands to more than " + MAX_NODES + " values through aliases",
          node.getStartMark());
    }
    if (depth > MAX_DEPTH) {
      throw new TooBig(
          "the document nests lists and mappings more than " + MAX_DEPTH + " levels deep",
          node.getStartMark());
    }
    Location at = location(node.getStartMark());
    if (node instanceof ScalarNode scalar) {
      sources.put(pointer, new ConfigDocument.NodeSource(at, key, scalar.getValue()));
      return scalar(scalar);
    }
    sources.put(pointer, new ConfigDocument.NodeSource(at, key, ""));
    if (node instanceof SequenceNode sequence) {
      ArrayNode array = JSON.arrayNode();
      int i = 0;
      for (Node item : sequence.getValue()) {
        array.add(convert(item, ConfigDocument.child(pointer, i++), null, depth + 1));
      }
      return array;
    }
    MappingNode mapping = (MappingNode) node;
    ObjectNode object = JSON.objectNode();
    Map<String, Location> seen = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      Location keyAt = location(keyNode.getStartMark());
      if (!(keyNode instanceof ScalarNode keyScalar)) {
        errors.add(
            error(keyNode.getStartMark(), "keys must be plain text, not a list or mapping", null));
        continue;
      }
      if (keyNode.getTag().equals(Tag.MERGE) || "<<".equals(keyScalar.getValue())) {
        errors.add(
            error(
                keyNode.getStartMark(),
                "merge keys ('<<') are not supported",
                "Write the keys out in full."));
        continue;
      }
      String name = keyScalar.getValue();
      Location first = seen.putIfAbsent(name, keyAt);
      if (first != null) {
        errors.add(
            error(
                keyNode.getStartMark(),
                "duplicate key '" + name + "' (first at line " + first.line() + ")",
                "Remove one of them; YAML keeps only one value per key."));
        continue;
      }
      object.set(
          name,
          convert(tuple.getValueNode(), ConfigDocument.child(pointer, name), keyAt, depth + 1));
    }
    return object;
  }

  private JsonNode scalar(ScalarNode node) {
    String text = node.getValue();
    Tag tag = node.getTag();
    try {
      if (tag.equals(Tag.STR)) {
        return JSON.textNode(text);
      }
      if (tag.equals(Tag.NULL)) {
        return JSON.nullNode();
      }
      if (tag.equals(Tag.BOOL)) {
        return JSON.booleanNode(text.equalsIgnoreCase("true"));
      }
      if (tag.equals(Tag.INT)) {
        return integer(text);
      }
      if (tag.equals(Tag.FLOAT)) {
        return JSON.numberNode(decimal(text));
      }
    } catch (NumberFormatException e) {
      errors.add(error(node.getStartMark(), "'" + text + "' is not a valid " + tag, null));
      return JSON.textNode(text);
    }
    errors.add(
        error(
            node.getStartMark(),
            "tag " + tag + " is not supported",
            "Use plain strings, numbers, true/false, lists and mappings."));
    return JSON.textNode(text);
  }

  private static JsonNode integer(String text) {
    String t = text.replace("_", "");
    BigInteger value;
    if (t.startsWith("0x")) {
      value = new BigInteger(t.substring(2), 16);
    } else if (t.startsWith("0o")) {
      value = new BigInteger(t.substring(2), 8);
    } else {
      value = new BigInteger(t.startsWith("+") ? t.substring(1) : t);
    }
    if (value.bitLength() < 32) {
      return JSON.numberNode(value.intValue());
    }
    if (value.bitLength() < 64) {
      return JSON.numberNode(value.longValue());
    }
    return JSON.numberNode(value);
  }

  private static double decimal(String text) {
    String t = text.toLowerCase(java.util.Locale.ROOT);
    return switch (t) {
      case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
      case "-.inf" -> Double.NEGATIVE_INFINITY;
      case ".nan" -> Double.NaN;
      default -> Double.parseDouble(t);
    };
  }

  private Location location(Mark mark) {
    return mark == null
        ? Location.of(file, 1, 1)
        : Location.of(file, mark.getLine() + 1, mark.getColumn() + 1);
  }

  private Diagnostic error(Mark mark, String message, String hint) {
    return Diagnostic.of(Severity.ERROR, ConfigDocument.RULE_ID, message, location(mark), hint);
  }

  /** Thrown inside the recursion to abandon a document that is too large or deep, at a node. */
  private static final class TooBig extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Mark mark;

    TooBig(String message, Mark mark) {
      super(message, null, false, false);
      this.mark = mark;
    }
  }
}
