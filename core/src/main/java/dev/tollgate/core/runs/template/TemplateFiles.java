package dev.tollgate.core.runs.template;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.util.Sha256;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The run-template files of a local checkout, for an editor that may write them: each template's
 * text with a version (the SHA-256 of its bytes), and saving a checked text in place of the version
 * it was edited from. A save writes a new file beside the old one and moves it over in one step, so
 * a reader sees the old text or the new, never a part; a text with problems is never written.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class TemplateFiles {
  private final Path projectRoot;
  private final Path folder;
  private final Object saving = new Object();

  private TemplateFiles(Path projectRoot) {
    this.projectRoot = projectRoot;
    this.folder = projectRoot.resolve(RunTemplate.DIRECTORY);
  }

  /** The files in {@code .tollgate/templates/} under {@code projectRoot}. */
  public static TemplateFiles forProject(Path projectRoot) {
    return new TemplateFiles(Objects.requireNonNull(projectRoot, "projectRoot"));
  }

  /** A template file's text and version. */
  public record Source(String text, String version) {

    /** Checks the fields. */
    public Source {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(version, "version");
    }
  }

  /** What came of a {@link #save}. */
  public sealed interface Saved {

    /** The file now holds the draft's text, at {@code version}. */
    record Written(TemplateDraft draft, String version) implements Saved {}

    /** Nothing was written: the text has problems ({@link TemplateDraft#problems}). */
    record Invalid(TemplateDraft draft) implements Saved {}

    /**
     * Nothing was written: the file changed since the text was read from it (or was created or
     * deleted meanwhile); {@code current} is how it is now, empty when there is no file.
     */
    record Stale(Optional<Source> current) implements Saved {}
  }

  /**
   * Whether this process may write the folder (or, while it does not exist, the project root it
   * would be made in).
   */
  public boolean writable() {
    return Files.isDirectory(folder)
        ? Files.isWritable(folder)
        : Files.isDirectory(projectRoot) && Files.isWritable(projectRoot);
  }

  /**
   * The text of template {@code name}'s file, if it exists.
   *
   * @throws IllegalArgumentException when {@code name} is not a template name
   * @throws TollgateException of kind {@code COULD_NOT_FINISH} when the file cannot be read
   */
  public Optional<Source> read(String name) {
    Path file = file(name);
    try {
      byte[] bytes = Files.readAllBytes(file);
      return Optional.of(new Source(new String(bytes, StandardCharsets.UTF_8), version(bytes)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "cannot read " + RunTemplate.DIRECTORY + "/" + name + ".yml: " + reason(e),
          e);
    }
  }

  /**
   * Checks {@code yaml} as template {@code name} and, when it has no problem and the file is still
   * at {@code baseVersion} ({@code null}: the file must not exist yet), writes it.
   *
   * @throws IllegalArgumentException when {@code name} is not a template name
   * @throws TollgateException of kind {@code COULD_NOT_FINISH} when the file cannot be written; the
   *     file is then as it was
   */
  public Saved save(String name, String yaml, String baseVersion) {
    Path file = file(name);
    synchronized (saving) {
      Optional<Source> current = read(name);
      TemplateDraft draft = TemplateDraft.check(name, yaml, current.map(Source::text).orElse(null));
      if (!Objects.equals(current.map(Source::version).orElse(null), baseVersion)) {
        return new Saved.Stale(current);
      }
      if (!draft.valid()) {
        return new Saved.Invalid(draft);
      }
      byte[] bytes = yaml.getBytes(StandardCharsets.UTF_8);
      Path temporary = folder.resolve("." + name + ".yml.saving");
      try {
        Files.createDirectories(folder);
        Files.write(temporary, bytes);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
        try {
          Files.move(
              temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // the half-written copy is a hidden file the loader never reads
        }
        throw new TollgateException(
            TollgateException.Kind.COULD_NOT_FINISH,
            "cannot write " + draft.file() + ": " + reason(e),
            e);
      }
      return new Saved.Written(draft, version(bytes));
    }
  }

  /** Why a file operation failed, without the absolute paths of this machine. */
  private static String reason(IOException e) {
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getClass().getSimpleName();
  }

  private Path file(String name) {
    return folder.resolve(TemplateDraft.checkName(name) + ".yml");
  }

  /** The version of a file's bytes: their SHA-256 in hex. */
  static String version(byte[] bytes) {
    return Sha256.hex(bytes);
  }
}
