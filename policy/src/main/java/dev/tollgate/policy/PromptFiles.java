package dev.tollgate.policy;

import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.policy.ItemDetail.PromptContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads what a work item's prompt/context file holds, without leaving the project root. */
final class PromptFiles {
  /** How much of a prompt file is read to find its first heading. */
  public static final int READ_LIMIT = 1 << 20;

  private PromptFiles() {}

  /** What the prompt/context file of {@code item} is, without leaving {@code root}. */
  public static PromptContext of(Path root, WorkItem item) {
    String rel = item.promptPath();
    Path base = root.toAbsolutePath().normalize();
    Path file = base.resolve(rel).normalize();
    if (!file.startsWith(base) || !realPathInside(base, file)) {
      return PromptContext.outsideProject(rel);
    }
    if (!Files.isRegularFile(file)) {
      return PromptContext.missing(rel);
    }
    Optional<Long> size;
    try {
      size = Optional.of(Files.size(file));
    } catch (IOException e) {
      size = Optional.empty();
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(READ_LIMIT);
    } catch (IOException e) {
      return PromptContext.unreadable(rel, size);
    }
    return PromptContext.readable(
        rel, size, firstHeading(new String(head, StandardCharsets.UTF_8)));
  }

  /** Whether {@code file}, with symbolic links followed, is still under {@code root}. */
  private static boolean realPathInside(Path root, Path file) {
    if (!Files.exists(file)) {
      return true; // nothing is read from a missing file
    }
    try {
      return file.toRealPath().startsWith(root.toRealPath());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The text of the first Markdown heading of {@code markdown}: an ATX heading ({@code # Title}) or
   * a setext heading (a line underlined with {@code =} or {@code -}), skipping YAML front matter
   * and fenced code blocks.
   */
  public static Optional<String> firstHeading(String markdown) {
    String[] lines = markdown.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    int i = 0;
    if (lines.length > 0 && lines[0].strip().equals("---")) {
      for (i = 1; i < lines.length && !lines[i].strip().equals("---"); i++) {
        // skip the front matter
      }
      i++;
    }
    String fence = null;
    String paragraph = null;
    for (; i < lines.length; i++) {
      String line = lines[i];
      String indentless = line.stripLeading();
      boolean shallow = line.length() - indentless.length() <= 3;
      if (fence != null) {
        if (shallow && indentless.startsWith(fence)) {
          fence = null;
        }
        continue;
      }
      if (shallow && (indentless.startsWith("```") || indentless.startsWith("~~~"))) {
        fence = indentless.substring(0, 3);
        paragraph = null;
        continue;
      }
      if (shallow && indentless.startsWith("#")) {
        int level = 0;
        while (level < indentless.length() && indentless.charAt(level) == '#') {
          level++;
        }
        if (level <= 6 && (level == indentless.length() || indentless.charAt(level) == ' ')) {
          String text = indentless.substring(level).strip().replaceAll("(^|\\s+)#+$", "").strip();
          if (!text.isEmpty()) {
            return Optional.of(text);
          }
          continue;
        }
      }
      String trimmed = line.strip();
      if (paragraph != null
          && shallow
          && !trimmed.isEmpty()
          && (trimmed.chars().allMatch(c -> c == '=') || trimmed.chars().allMatch(c -> c == '-'))) {
        return Optional.of(paragraph);
      }
      paragraph =
          trimmed.isEmpty() ? null : (paragraph == null ? trimmed : paragraph + " " + trimmed);
    }
    return Optional.empty();
  }
}
