package dev.tollgate.actions.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFileTest {
  @TempDir Path dir;

  @Test
  void writes_every_output_in_the_heredoc_form_and_appends_to_what_is_there() throws IOException {
    Path file = dir.resolve("output");
    Files.writeString(file, "earlier=1\n");
    Deque<String> delimiters = new ArrayDeque<>(List.of("D1", "D2"));
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("result", "blocked");
    outputs.put("title", "line one\nline two");
    OutputFile.at(file, delimiters::pop).write(outputs);
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .isEqualTo("earlier=1\nresult<<D1\nblocked\nD1\ntitle<<D2\nline one\nline two\nD2\n");
  }

  @Test
  void picks_another_delimiter_when_the_value_contains_the_first() {
    Deque<String> delimiters = new ArrayDeque<>(List.of("EOF", "ghadelimiter_2"));
    String entry = OutputFile.at(dir.resolve("o"), delimiters::pop).entry("x", "a\nEOF\nz=1");
    assertThat(entry).isEqualTo("x<<ghadelimiter_2\na\nEOF\nz=1\nghadelimiter_2\n");
  }

  @Test
  void a_value_cannot_inject_another_output_with_the_default_delimiters() throws IOException {
    Path file = dir.resolve("output");
    String hostile = "x\nghadelimiter_\nresult=pass\n";
    OutputFile.at(file).write(Map.of("title", hostile));
    List<String> lines = Files.readAllLines(file);
    String delimiter = lines.get(0).substring("title<<".length());
    assertThat(delimiter).startsWith("ghadelimiter_").hasSizeGreaterThan(20);
    assertThat(hostile).doesNotContain(delimiter);
    assertThat(lines.get(lines.size() - 1)).isEqualTo(delimiter);
  }

  @Test
  void a_lone_surrogate_is_written_as_a_replacement_instead_of_failing_the_step()
      throws IOException {
    Path file = dir.resolve("output");
    OutputFile.at(file, () -> "D").write(Map.of("title", "a\ud800b"));
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("title<<D\na?b\nD\n");
  }

  @Test
  void refuses_an_output_name_that_is_not_a_name() {
    assertThatThrownBy(() -> OutputFile.at(dir.resolve("o")).entry("a<<b", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "output name must be letters, digits, '_' or '-' (not starting with a digit or '-') but"
                + " was 'a<<b'");
  }
}
