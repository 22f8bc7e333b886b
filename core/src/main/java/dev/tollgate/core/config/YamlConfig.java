package dev.tollgate.core.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.io.InputStream;
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
import org.apiguardian.api.API;
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
 * Duplicate keys, merge keys, custom tags and multiple documents are errors. So are the limits no
 * hand-written file reaches, each reported at the line and column that crosses it: more than
 * {@value #MAX_BYTES} bytes, NUL and other control characters, nesting deeper than {@value
 * YamlTree#MAX_DEPTH} levels, more than {@value GuardedParser#MAX_COLLECTION_ALIASES} aliases of
 * lists or mappings, alias expansions past {@value YamlTree#MAX_NODES} values and recursive
 * aliases. An empty file, or one holding only comments, is an error saying what the schema expects;
 * {@code {}} is an empty mapping.
 */
@API(status = INTERNAL, since = "0.1.0")
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
    Objects.requireNonNull(schema, "schema");
    return parse(read(file, displayPath), displayPath, schema);
  }

  /**
   * Reads the bytes of a configuration file, refusing what no configuration file is: a folder, or
   * more than {@link #MAX_BYTES} bytes (reported at the line where the limit is passed, without
   * reading the rest).
   *
   * @param displayPath how the file is named in messages
   * @throws TollgateException of kind {@code BAD_INPUT} when the file is missing, unreadable, a
   *     folder or too large
   */
  public static byte[] read(Path file, String displayPath) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(displayPath, "displayPath");
    if (Files.isDirectory(file)) {
      throw fail(Location.ofFile(displayPath), "path is a folder, not a file", null);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        long size = Math.max(bytes.length, Files.size(file));
        throw tooLarge(bytes, size, displayPath);
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw fail(Location.ofFile(displayPath), "file does not exist", null);
    } catch (AccessDeniedException e) {
      throw fail(Location.ofFile(displayPath), "file cannot be read: permission denied", null);
    } catch (IOException e) {
      throw fail(Location.ofFile(displayPath), "file cannot be read: " + e.getMessage(), null);
    }
  }

  /**
   * Parses and schema-checks configuration bytes, which must be UTF-8 (a byte-order mark is
   * skipped).
   *
   * @throws TollgateException of kind {@code BAD_INPUT} for anything that is not a valid document
   */
  public static ConfigDocument parse(byte[] bytes, String displayPath, ConfigSchema schema) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(displayPath, "displayPath");
    if (bytes.length > MAX_BYTES) {
      throw tooLarge(bytes, bytes.length, displayPath);
    }
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
    if (text.length() > MAX_BYTES / 3) {
      // Fewer chars than that cannot make more than MAX_BYTES bytes of UTF-8.
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      if (bytes.length > MAX_BYTES) {
        throw tooLarge(bytes, bytes.length, displayPath);
      }
    }
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    refuseUnprintable(body, displayPath);
    Node root = compose(body, displayPath);
    if (root == null) {
      // An empty file is more often a mistake (a truncated write, the wrong file) than a wish for
      // defaults; a file that means "nothing to say" is deleted or says {}.
      throw fail(
          Location.of(displayPath, 1, 1),
          "expected "
              + SchemaErrors.expectedDocument(schema)
              + " but the file "
              + (body.isBlank() ? "is empty" : "holds only comments"),
          null);
    }
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
    // SnakeYAML's own limits stay as a backstop; GuardedParser refuses first, with a position.
    options.setMaxAliasesForCollections(GuardedParser.MAX_COLLECTION_ALIASES + 1);
    options.setAllowRecursiveKeys(false);
    options.setNestingDepthLimit(YamlTree.MAX_DEPTH + 1);
    options.setCodePointLimit(MAX_BYTES);
    options.setProcessComments(false);
    GuardedParser parser =
        new GuardedParser(new ParserImpl(new StreamReader(new StringReader(text)), options));
    try {
      return new Composer(parser, new CoreSchemaResolver(), options).getSingleNode();
    } catch (GuardedParser.Refused e) {
      throw fail(at(displayPath, e.mark()), e.getMessage(), null);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      Location at =
          mark == null ? at(displayPath, parser.lastMark().orElse(null)) : at(displayPath, mark);
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
      // SnakeYAML's unmarked YAMLException (its own limits) and anything else it throws on odd
      // input: the last event read is the closest position known.
      throw fail(
          at(displayPath, parser.lastMark().orElse(null)),
          "invalid YAML: " + oneLine(e.getMessage()),
          null);
    } catch (StackOverflowError e) {
      throw fail(
          at(displayPath, parser.lastMark().orElse(null)), "invalid YAML: nested too deeply", null);
    }
  }

  /** Where {@code mark} points, or the start of the file when SnakeYAML gave no position. */
  private static Location at(String displayPath, Mark mark) {
    return mark == null
        ? Location.of(displayPath, 1, 1)
        : Location.of(displayPath, mark.getLine() + 1, mark.getColumn() + 1);
  }

  /**
   * Refuses the first character YAML does not allow (NUL and the other control characters but tab
   * and line breaks, lone surrogates, U+FFFE and U+FFFF) at its line and column, counted as
   * SnakeYAML counts them.
   */
  private static void refuseUnprintable(String text, String displayPath) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (!StreamReader.isPrintable(c)) {
        String what =
            c == 0
                ? "a NUL byte"
                : (Character.isISOControl(c) ? "the control character " : "the character ")
                    + String.format("U+%04X", c);
        throw fail(
            Location.of(displayPath, line, column),
            "the file contains " + what + ", which YAML does not allow",
            "A configuration file is UTF-8 text; is this a binary file?");
      }
      i += Character.charCount(c);
      boolean crlf = c == '\r' && i < text.length() && text.charAt(i) == '\n';
      if (c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029' || (c == '\r' && !crlf)) {
        line++;
        column = 1;
      } else if (c != '\uFEFF' && !crlf) {
        column++;
      }
    }
  }

  /**
   * The error for a file of {@code size} bytes whose first bytes are {@code prefix}: at the line
   * and column of the first byte past {@link #MAX_BYTES}.
   */
  private static TollgateException tooLarge(byte[] prefix, long size, String displayPath) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      byte b = prefix[i];
      if (b == '\n' || (b == '\r' && prefix[i + 1] != '\n')) {
        line++;
        lineStart = i + 1;
      }
    }
    int column = 1;
    for (int i = lineStart; i < MAX_BYTES; i++) {
      if ((prefix[i] & 0xC0) != 0x80) {
        column++; // a byte that starts a character, not one that continues it
      }
    }
    return fail(
        Location.of(displayPath, line, column),
        "the file has "
            + size
            + " bytes, more than the "
            + MAX_BYTES
            + " a configuration file may have; the limit is passed here",
        "Split it, or check that this is the file you meant.");
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
