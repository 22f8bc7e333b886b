package dev.tollgate.actions.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any value round-trips through the heredoc form of {@code $GITHUB_OUTPUT}: read back the way the
 * Actions runner reads the file (on Linux, lines end at {@code \n}; the value is the text between
 * the {@code name<<DELIMITER} line and the first line equal to the delimiter), every output has
 * exactly its value and no other output appears.
 */
class OutputFileProperties {

  /**
   * Values with line breaks, carriage returns, {@code <<}, {@code =} and delimiter look-alikes: any
   * text that UTF-8 can hold (a lone surrogate cannot; {@link OutputFileTest} covers it).
   */
  @Provide
  Arbitrary<String> values() {
    Arbitrary<String> pieces =
        Arbitraries.oneOf(
            Arbitraries.strings()
                .all()
                .ofMaxLength(20)
                .filter(
                    s ->
                        new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                            .equals(s)),
            Arbitraries.of(
                "\n", "\r", "\r\n", "<<", "=", "EOF", "ghadelimiter_", "result<<EOF", "x=1\n"));
    return pieces.list().ofMaxSize(12).map(l -> String.join("", l));
  }

  @Property(tries = 500)
  void any_value_round_trips_through_the_heredoc_form(
      @ForAll("values") String first, @ForAll("values") String second) throws IOException {
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("result", first);
    outputs.put("comment-url", second);

    assertThat(roundTrip(outputs, OutputFile::at)).isEqualTo(outputs);
  }

  @Property(tries = 300)
  void a_value_holding_the_first_delimiters_still_round_trips(@ForAll("values") String value)
      throws IOException {
    // The first delimiters offered occur in the value, so others must be picked.
    String hostile = value + "\nEOF\nD1" + value;
    Map<String, String> outputs = Map.of("title", hostile);

    Deque<String> delimiters = new ArrayDeque<>(List.of("EOF", "D1", "ghadelimiter_3f9c"));
    assertThat(roundTrip(outputs, f -> OutputFile.at(f, delimiters::pop))).isEqualTo(outputs);
  }

  private static Map<String, String> roundTrip(
      Map<String, String> outputs, java.util.function.Function<Path, OutputFile> file)
      throws IOException {
    Path dir = Files.createTempDirectory("tollgate-output");
    Path f = dir.resolve("output");
    try {
      file.apply(f).write(outputs);
      return readAsTheRunnerDoes(Files.readString(f, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(f);
      Files.deleteIfExists(dir);
    }
  }

  /** The Actions runner's reading of a file command file ({@code FileCommandManager}, Linux). */
  static Map<String, String> readAsTheRunnerDoes(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    int[] index = {0};
    String line = readLine(text, index);
    while (line != null) {
      if (!line.isEmpty()) {
        int equals = line.indexOf('=');
        int heredoc = line.indexOf("<<");
        if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
          out.put(line.substring(0, equals), line.substring(equals + 1));
        } else if (heredoc >= 0) {
          String name = line.substring(0, heredoc);
          String delimiter = line.substring(heredoc + 2);
          int start = index[0];
          int end = start;
          String value = readLine(text, index);
          while (!delimiter.equals(value)) {
            if (value == null) {
              throw new UncheckedIOException(
                  new IOException("no delimiter " + delimiter + " ends output " + name));
            }
            end = index[0] - 1; // before the line's \n
            value = readLine(text, index);
          }
          out.put(name, end > start ? text.substring(start, end) : "");
        } else {
          throw new IllegalStateException("not an output line: " + line);
        }
      }
      line = readLine(text, index);
    }
    return out;
  }

  private static String readLine(String text, int[] index) {
    if (index[0] >= text.length()) {
      return null;
    }
    int from = index[0];
    int lf = text.indexOf('\n', from);
    if (lf < 0) {
      index[0] = text.length();
      return text.substring(from);
    }
    index[0] = lf + 1;
    return text.substring(from, lf);
  }
}
