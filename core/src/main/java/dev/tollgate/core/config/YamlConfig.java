package dev.tollgate.core.config;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * The configuration-file loader every Tollgate module uses: reads a UTF-8 YAML file, checks it
 * against a JSON Schema and returns its content with the source position of every value, or throws
 * a {@link TollgateException} of kind {@code BAD_INPUT} whose diagnostics say {@code
 * file:line:column} for each problem.
 *
 * <p>Plain scalars follow the YAML 1.2 core schema ({@code off} and {@code yes} are strings).
 * Duplicate keys, merge keys, custom tags, multiple documents and alias expansions past {@value
 * YamlTree#MAX_NODES} values are errors. An empty file is an empty mapping.
 */
public final class YamlConfig {
  private YamlConfig() {}

  /** The largest configuration file read, in bytes; larger ones are rejected, not parsed. */
  public static final int MAX_BYTES = 1 << 20;

  /**
   * Reads, parses and schema-checks a configuration file.
   *
   * @param file the file to read
   * @param displayPath how the file is named in messages, usually relative to the project root with
   *     {@code /} separators, e.g. {@code .tollgate/spec-kit.yml}
   * @param schema the schema the content must satisfy
   * @throws TollgateException of kind {@code BAD_INPUT} when the file is missing, unreadable, not
   *     UTF-8, not valid YAML, or violates the schema
   */
  public static ConfigDocument load(Path file, String displayPath, ConfigSchema schema) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(displayPath, "displayPath");
    Objects.requireNonNull(schema, "schema");
    byte[] bytes;
    try {
      if (Files.isDirectory(file)) {
        throw fail(Location.ofFile(displayPath), "path is a folder, not a file", null);
      }
      if (Files.size(file) > MAX_BYTES) {
        throw fail(
            Location.ofFile(displayPath),
            "file is larger than " + MAX_BYTES + " bytes; a configuration file is never that big",
            null);
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw fail(Location.ofFile(displayPath), "file does not exist", null);
    } catch (AccessDeniedException e) {
      throw fail(Location.ofFile(displayPath), "file cannot be read: permission denied", null);
    } catch (IOException e) {
      throw fail(Location.ofFile(displayPath), "file cannot be read: " + e.getMessage(), null);
    }
    return parse(bytes, displayPath, schema);
  }

  /**
   * Parses and schema-checks configuration bytes, which must be UTF-8 (a byte-order mark is
   * skipped).
   *
   * @throws TollgateException of kind {@code BAD_INPUT} for anything that is not a valid document
   */
  public static ConfigDocument parse(byte[] bytes, String displayPath, ConfigSchema schema) {
    return parse(decode(bytes, displayPath), displayPath, schema);
  }

  /**
   * Parses and schema-checks configuration text.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} for anything that is not a valid document
   */
  public static ConfigDocument parse(String text, String displayPath, ConfigSchema schema) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(displayPath, "displayPath");
    Objects.requireNonNull(schema, "schema");
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    Node root = compose(body, displayPath);
    YamlTree.Converted converted = YamlTree.convert(root, displayPath);
    if (!converted.errors().isEmpty()) {
      throw invalid(displayPath, converted.errors());
    }
    ConfigDocument doc = converted.document();
    List<Diagnostic> errors = SchemaErrors.translate(schema.validate(doc.root()), doc, schema);
    if (!errors.isEmpty()) {
      throw invalid(displayPath, errors);
    }
    return doc;
  }

  /**
   * The exception for configuration errors found after loading (a loader's own checks): kind {@code
   * BAD_INPUT}, one line per diagnostic in its message, diagnostics sorted.
   */
  public static TollgateException invalid(String displayPath, List<Diagnostic> diagnostics) {
    List<Diagnostic> sorted = new ArrayList<>(diagnostics);
    sorted.sort(null);
    StringBuilder message = new StringBuilder();
    for (Diagnostic d : sorted) {
      if (message.length() > 0) {
        message.append('\n');
      }
      message.append(d.location()).append(": ").append(d.message());
    }
    if (sorted.isEmpty()) {
      message.append(displayPath).append(": invalid configuration");
    }
    return new TollgateException(
        TollgateException.Kind.BAD_INPUT, message.toString(), sorted, null);
  }

  private static Node compose(String text, String displayPath) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(50);
    options.setAllowRecursiveKeys(false);
    options.setNestingDepthLimit(YamlTree.MAX_DEPTH);
    options.setCodePointLimit(MAX_BYTES);
    options.setProcessComments(false);
    try {
      Composer composer =
          new Composer(
              new ParserImpl(new StreamReader(new StringReader(text)), options),
              new CoreSchemaResolver(),
              options);
      return composer.getSingleNode();
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      Location at =
          mark == null
              ? Location.ofFile(displayPath)
              : Location.of(displayPath, mark.getLine() + 1, mark.getColumn() + 1);
      String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
      String hint = e.getContext() != null && e.getProblem() != null ? e.getContext() : null;
      if (hint != null && problem.startsWith("but ")) {
        // SnakeYAML splits "expected X" (context) and "but found Y" (problem); one sentence reads
        // better.
        problem = hint + " " + problem;
        hint = null;
      }
      throw fail(at, "invalid YAML: " + oneLine(problem), hint == null ? null : oneLine(hint));
    } catch (RuntimeException e) {
      // SnakeYAML's unmarked YAMLException (limits) and anything else it throws on odd input.
      throw fail(Location.ofFile(displayPath), "invalid YAML: " + oneLine(e.getMessage()), null);
    } catch (StackOverflowError e) {
      throw fail(Location.ofFile(displayPath), "invalid YAML: nested too deeply", null);
    }
  }

  private static String decode(byte[] bytes, String displayPath) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      out.flip();
      String before = out.toString();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < before.length(); i++) {
        if (before.charAt(i) == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw fail(
          Location.of(displayPath, line, before.length() - lineStart + 1),
          "file is not valid UTF-8 (bad byte 0x"
              + String.format("%02X", bytes[in.position()] & 0xFF)
              + " at offset "
              + in.position()
              + ")",
          "Save the file as UTF-8.");
    }
    try {
      decoder.flush(out);
    } catch (RuntimeException e) {
      throw fail(
          Location.ofFile(displayPath), "file is not valid UTF-8", "Save the file as UTF-8.");
    }
    out.flip();
    return out.toString();
  }

  private static String oneLine(String text) {
    return text == null ? "unreadable document" : text.strip().replaceAll("\\s+", " ");
  }

  private static TollgateException fail(Location at, String message, String hint) {
    Diagnostic d = Diagnostic.of(Severity.ERROR, ConfigDocument.RULE_ID, message, at, hint);
    return invalid(at.file(), List.of(d));
  }
}
