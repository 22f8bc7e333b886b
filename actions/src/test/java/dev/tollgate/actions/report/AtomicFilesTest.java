package dev.tollgate.actions.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void replaces_the_file_and_leaves_no_temporary_file_behind() throws IOException {
    Path report = dir.resolve("report.md");
    Files.writeString(report, "old");
    AtomicFiles.write(report, "report.md", "şimdi yeni\n");
    assertThat(report).hasContent("şimdi yeni\n");
    AtomicFiles.write(report, new byte[] {1, 2, 3});
    assertThat(Files.readAllBytes(report)).containsExactly(1, 2, 3);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(report);
    }
  }

  @Test
  void a_folder_or_a_missing_folder_is_bad_input_named_as_the_option_gave_it() {
    assertThatThrownBy(() -> AtomicFiles.write(dir, "out", "x"))
        .isInstanceOf(TollgateException.class)
        .hasMessage("--output out is a folder, not a file");
    assertThatThrownBy(() -> AtomicFiles.write(dir.resolve("no/such.md"), "no/such.md", "x"))
        .isInstanceOf(TollgateException.class)
        .hasMessageStartingWith("--output no/such.md: folder ")
        .hasMessageEndingWith(" does not exist");
  }
}
