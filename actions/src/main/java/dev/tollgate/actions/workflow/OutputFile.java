package dev.tollgate.actions.workflow;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The step-outputs file named by {@code $GITHUB_OUTPUT}, which later steps read as {@code
 * steps.<id>.outputs.<name>}.
 *
 * <p>Every output is appended in the multi-line form {@code name<<DELIMITER}, value, {@code
 * DELIMITER}, with a random delimiter that is checked not to occur in the value, so no value (a PR
 * title, a path) can end the entry early and inject another output.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class OutputFile {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
  private static final int MAX_DELIMITER_TRIES = 100;

  private final Path file;
  private final Supplier<String> delimiters;

  private OutputFile(Path file, Supplier<String> delimiters) {
    this.file = file;
    this.delimiters = delimiters;
  }

  /** The outputs file at {@code file}, with random {@code ghadelimiter_<uuid>} delimiters. */
  public static OutputFile at(Path file) {
    return at(file, () -> "ghadelimiter_" + UUID.randomUUID());
  }

  /** The outputs file at {@code file}, taking delimiters from {@code delimiters} (for tests). */
  public static OutputFile at(Path file, Supplier<String> delimiters) {
    return new OutputFile(
        Objects.requireNonNull(file, "file"), Objects.requireNonNull(delimiters, "delimiters"));
  }

  /** Where the outputs go. */
  public Path file() {
    return file;
  }

  /**
   * Appends every output, in the map's order, in UTF-8 (a lone surrogate, which UTF-8 cannot hold,
   * is written as {@code ?}).
   *
   * @throws IllegalArgumentException when a name is not a valid output name
   * @throws TollgateException of kind {@code COULD_NOT_FINISH} when the file cannot be written
   */
  public void write(Map<String, String> outputs) {
    StringBuilder text = new StringBuilder();
    outputs.forEach((name, value) -> text.append(entry(name, value)));
    try {
      Files.write(
          file,
          text.toString().getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "cannot write the step outputs to " + file + " ($GITHUB_OUTPUT): " + e.getMessage(),
          e);
    }
  }

  /** One output in the heredoc form, ending with a line break. */
  String entry(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value of output " + name);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "output name must be letters, digits, '_' or '-' (not starting with a digit or '-') but"
              + " was '"
              + name
              + "'");
    }
    for (int i = 0; i < MAX_DELIMITER_TRIES; i++) {
      String delimiter = delimiters.get();
      if (delimiter == null || delimiter.isBlank() || !delimiter.strip().equals(delimiter)) {
        throw new IllegalStateException("delimiter must be a non-blank word but was " + delimiter);
      }
      if (!value.contains(delimiter)) {
        return name + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n";
      }
    }
    throw new IllegalStateException(
        "no delimiter absent from the value of output " + name + " in " + MAX_DELIMITER_TRIES);
  }
}
