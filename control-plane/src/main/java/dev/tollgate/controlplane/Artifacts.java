package dev.tollgate.controlplane;

import dev.tollgate.core.runs.Artifact;
import dev.tollgate.core.runs.RunQueue;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A run's artifacts over HTTP: the content of one, with a type chosen from its name (text,
 * Markdown, JSON, diffs and raster images shown in the browser; anything else, SVG included, only
 * as a download), and the run's SHA-256 manifest. Served with {@code nosniff} and the control
 * plane's Content-Security-Policy, so an artifact never runs script in the console's origin.
 */
final class Artifacts {
  private Artifacts() {}

  /** How an artifact is shown: its kind and the content type it is served with. */
  enum Kind {
    MARKDOWN("text/markdown;charset=utf-8"),
    JSON("application/json;charset=utf-8"),
    DIFF("text/plain;charset=utf-8"),
    TEXT("text/plain;charset=utf-8"),
    IMAGE(null),
    BINARY("application/octet-stream");

    private final String type;

    Kind(String type) {
      this.type = type;
    }

    /** The kind of an artifact called {@code name}. */
    static Kind of(String name) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.endsWith(".md") || n.endsWith(".markdown")) {
        return MARKDOWN;
      }
      if (n.endsWith(".json")) {
        return JSON;
      }
      if (n.endsWith(".diff") || n.endsWith(".patch")) {
        return DIFF;
      }
      if (n.endsWith(".png")
          || n.endsWith(".jpg")
          || n.endsWith(".jpeg")
          || n.endsWith(".gif")
          || n.endsWith(".webp")) {
        return IMAGE;
      }
      if (n.endsWith(".txt")
          || n.endsWith(".log")
          || n.endsWith(".csv")
          || n.endsWith(".yml")
          || n.endsWith(".yaml")
          || n.endsWith(".xml")
          || n.endsWith(".html")) {
        return TEXT;
      }
      return BINARY;
    }

    String contentType(String name) {
      if (this != IMAGE) {
        return type;
      }
      String n = name.toLowerCase(Locale.ROOT);
      if (n.endsWith(".png")) {
        return "image/png";
      }
      if (n.endsWith(".gif")) {
        return "image/gif";
      }
      if (n.endsWith(".webp")) {
        return "image/webp";
      }
      return "image/jpeg";
    }
  }

  /** The artifact called {@code name} of run {@code runId}, or 404. */
  static Artifact find(RunQueue queue, long runId, String name) {
    return queue.artifacts(runId).stream()
        .filter(a -> a.name().equals(name))
        .findFirst()
        .orElseThrow(
            () -> ApiException.notFound("run " + runId + " has no artifact '" + name + "'"));
  }

  /** Answers with the artifact's content (HTML is sent as text, never rendered). */
  static void send(HttpServletResponse resp, RunQueue queue, long runId, String name)
      throws IOException {
    Artifact artifact = find(queue, runId, name);
    byte[] content =
        queue
            .artifactContent(runId, artifact.name())
            .orElseThrow(() -> ApiException.notFound("the content of '" + name + "' is gone"));
    Kind kind = Kind.of(artifact.name());
    String file = artifact.name().substring(artifact.name().lastIndexOf('/') + 1);
    String safe = file.replaceAll("[^A-Za-z0-9._-]", "_");
    resp.setStatus(200);
    resp.setContentType(kind.contentType(artifact.name()));
    resp.setHeader(
        "Content-Disposition",
        (kind == Kind.BINARY ? "attachment" : "inline") + "; filename=\"" + safe + "\"");
    resp.setHeader("X-Tollgate-SHA256", artifact.sha256());
    resp.setContentLength(content.length);
    resp.getOutputStream().write(content);
  }

  /** Answers with the run's {@code sha256_manifest.txt}. */
  static void manifest(HttpServletResponse resp, RunQueue queue, long runId) throws IOException {
    byte[] bytes = queue.manifest(runId).getBytes(StandardCharsets.UTF_8);
    resp.setStatus(200);
    resp.setContentType("text/plain;charset=utf-8");
    resp.setHeader("Content-Disposition", "inline; filename=\"sha256_manifest.txt\"");
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }
}
