package dev.tollgate.actions.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.UncheckedIOException;
import org.apiguardian.api.API;

/**
 * The one JSON layout every Tollgate output uses: two-space indentation, {@code "key": value},
 * {@code \n} line ends whatever the platform and a trailing newline, so outputs and golden files
 * compare byte for byte on every OS.
 */
@API(status = INTERNAL, since = "0.1.0")
public final class JsonText {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final ObjectWriter PRETTY =
      MAPPER.writer(
          new DefaultPrettyPrinter(
                  Separators.createDefaultInstance()
                      .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                      .withObjectEmptySeparator("")
                      .withArrayEmptySeparator(""))
              .withObjectIndenter(new DefaultIndenter("  ", "\n"))
              .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  private JsonText() {}

  /** A mapper for building trees with {@code createObjectNode()}. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The tree pretty-printed in the shared layout, ending with a newline. */
  public static String pretty(JsonNode node) {
    try {
      return PRETTY.writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      // A tree of plain nodes always serialises; anything else is a programming error.
      throw new UncheckedIOException("could not write JSON", e);
    }
  }
}
