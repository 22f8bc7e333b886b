package dev.tollgate.controlplane.internal.pages;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * One artifact of a run, shown by kind: Markdown rendered, JSON indented, a diff side by side, an
 * image, or text; larger ones and binaries only as a download.
 *
 * @param frame the frame
 * @param runId the run's id
 * @param runHref the run's page
 * @param name the artifact's name
 * @param detail its size and SHA-256
 * @param kind {@code markdown}, {@code json}, {@code diff}, {@code text}, {@code image} or {@code
 *     binary}
 * @param tooBig whether it is larger than {@link #MAX_SHOWN} and only offered for download
 * @param downloadHref its content
 * @param text the text to show (JSON indented, or plain text), or empty
 * @param html Markdown rendered to HTML with raw HTML escaped and unsafe links removed, or empty
 * @param diff the rows of a diff side by side, or empty
 */
public record ArtifactPage(
    Frame frame,
    String runId,
    String runHref,
    String name,
    String detail,
    String kind,
    boolean tooBig,
    String downloadHref,
    String text,
    String html,
    List<DiffRow> diff) {

  /** The largest artifact shown in the page (1 MiB); larger ones are offered for download. */
  public static final long MAX_SHOWN = 1 << 20;

  private static final List<Extension> GFM = List.of(TablesExtension.create());
  private static final Parser MARKDOWN = Parser.builder().extensions(GFM).build();
  private static final HtmlRenderer HTML =
      HtmlRenderer.builder().extensions(GFM).escapeHtml(true).sanitizeUrls(true).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One row of a diff side by side.
   *
   * @param left the old line, or empty
   * @param right the new line, or empty
   * @param kind {@code same}, {@code changed}, {@code removed}, {@code added} or {@code hunk}
   */
  public record DiffRow(String left, String right, String kind) {}

  /**
   * Markdown as HTML, with GitHub's pipe tables; raw HTML in it is escaped and unsafe link targets
   * are dropped.
   */
  public static String markdown(String text) {
    return HTML.render(MARKDOWN.parse(text));
  }

  /** JSON indented, or the text as it is when it is not JSON. */
  public static String indentJson(String text) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(text));
    } catch (IOException e) {
      return text;
    }
  }

  /**
   * A unified diff as rows side by side: context lines on both sides, each run of removed lines
   * paired with the run of added lines that follows it, hunk headers as their own rows.
   */
  public static List<DiffRow> sideBySide(String diff) {
    List<DiffRow> rows = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> added = new ArrayList<>();
    for (String line : diff.split("\\R")) {
      if (line.startsWith("---") || line.startsWith("+++")) {
        flush(rows, removed, added);
        rows.add(new DiffRow(line, "", "hunk"));
      } else if (line.startsWith("-")) {
        if (!added.isEmpty()) {
          flush(rows, removed, added);
        }
        removed.add(line.substring(1));
      } else if (line.startsWith("+")) {
        added.add(line.substring(1));
      } else {
        flush(rows, removed, added);
        if (line.startsWith("@@") || line.startsWith("diff ") || line.startsWith("index ")) {
          rows.add(new DiffRow(line, "", "hunk"));
        } else if (!line.isEmpty() || !rows.isEmpty()) {
          String same = line.startsWith(" ") ? line.substring(1) : line;
          rows.add(new DiffRow(same, same, "same"));
        }
      }
    }
    flush(rows, removed, added);
    return rows;
  }

  private static void flush(List<DiffRow> rows, List<String> removed, List<String> added) {
    int n = Math.max(removed.size(), added.size());
    for (int i = 0; i < n; i++) {
      String l = i < removed.size() ? removed.get(i) : "";
      String r = i < added.size() ? added.get(i) : "";
      String kind =
          i < removed.size() && i < added.size()
              ? "changed"
              : i < removed.size() ? "removed" : "added";
      rows.add(new DiffRow(l, r, kind));
    }
    removed.clear();
    added.clear();
  }
}
