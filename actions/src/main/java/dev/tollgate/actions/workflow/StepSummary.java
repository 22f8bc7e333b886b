package dev.tollgate.actions.workflow;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The job-summary file named by {@code $GITHUB_STEP_SUMMARY}: Markdown that GitHub shows on the
 * run's summary page.
 *
 * <p>GitHub refuses a step's summary over {@value #MAX_BYTES} bytes (and shows an error instead),
 * so {@link #append} cuts what it adds at a line end to keep the whole file under that size, and
 * says so at the cut.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class StepSummary {
  /** GitHub's limit for one step's summary, in bytes. */
  public static final int MAX_BYTES = 1 << 20;

  /** Room kept below the limit for the note at a cut. */
  private static final int NOTE_RESERVE = 512;

  private final Path file;

  private StepSummary(Path file) {
    this.file = file;
  }

  /** The summary file at {@code file}. */
  public static StepSummary at(Path file) {
    return new StepSummary(Objects.requireNonNull(file, "file"));
  }

  /** Where the summary goes. */
  public Path file() {
    return file;
  }

  /**
   * Appends Markdown to the summary, cut at a line end when the file would grow past {@link
   * #MAX_BYTES}; {@code whereTheRestIs} completes the note at the cut ("The full report is in …").
   *
   * @return whether the text had to be cut
   * @throws TollgateException of kind {@code COULD_NOT_FINISH} when the file cannot be written
   */
  public boolean append(String markdown, String whereTheRestIs) {
    Objects.requireNonNull(markdown, "markdown");
    Objects.requireNonNull(whereTheRestIs, "whereTheRestIs");
    try {
      long existing = Files.exists(file) ? Files.size(file) : 0;
      String text = markdown.endsWith("\n") ? markdown : markdown + "\n";
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      boolean cut = existing + bytes.length > MAX_BYTES;
      if (cut) {
        String note =
            "\n> **Summary cut:** GitHub keeps at most 1 MiB of summary per step. "
                + whereTheRestIs
                + "\n";
        long room = Math.max(0, MAX_BYTES - existing - NOTE_RESERVE - utf8(note));
        text = cutAtLine(text, room) + note;
        bytes = text.getBytes(StandardCharsets.UTF_8);
        if (existing + bytes.length > MAX_BYTES) {
          // The file is already (nearly) full: add nothing rather than break GitHub's limit.
          return true;
        }
      }
      Files.write(
          file,
          bytes,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.WRITE);
      return cut;
    } catch (IOException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "cannot write the job summary to " + file + " ($GITHUB_STEP_SUMMARY): " + e.getMessage(),
          e);
    }
  }

  /** The longest prefix of {@code text} ending at a line break whose UTF-8 size is ≤ room. */
  static String cutAtLine(String text, long room) {
    long bytes = 0;
    int end = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes > room) {
        break;
      }
      i += Character.charCount(cp);
      if (cp == '\n') {
        end = i;
      }
    }
    return text.substring(0, end);
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
