package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.util.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The name of one sticky pull-request comment: each key gets its own comment, edited in place on
 * every run. The action's default is derived from the workflow, the job and the matrix values
 * ({@code ci/gate/java=17}), so two workflows, two jobs or two matrix legs never overwrite each
 * other's comment, while re-runs and new pushes of the same job update theirs.
 *
 * @param value the key as written; at most {@value #MAX_LENGTH} characters, one line
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record CommentKey(String value) {
  /** The longest key; longer derived keys are shortened with a hash of the whole. */
  public static final int MAX_LENGTH = 200;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Checks the value: not blank, one line of valid Unicode without control characters, not too
   * long.
   */
  public CommentKey {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("comment key must not be blank");
    }
    if (value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "comment key must be at most " + MAX_LENGTH + " characters but has " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean paired =
          Character.isHighSurrogate(c)
              ? i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))
              : !Character.isLowSurrogate(c)
                  || (i > 0 && Character.isHighSurrogate(value.charAt(i - 1)));
      if (!paired) {
        throw new IllegalArgumentException(
            "comment key must be valid Unicode but has a lone surrogate at index " + i);
      }
      if (Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "comment key must not contain control characters but has U+"
                + String.format(java.util.Locale.ROOT, "%04X", (int) value.charAt(i))
                + " at index "
                + i);
      }
    }
  }

  /** A key with the given value; see the constructor for what is accepted. */
  public static CommentKey of(String value) {
    return new CommentKey(value);
  }

  /**
   * The default key for a job: {@code workflow/job}, plus {@code /name=value,…} for the matrix
   * values when {@code matrixJson} is a non-empty JSON object (what {@code toJSON(matrix)} gives).
   * Control characters become spaces; a key over {@value #MAX_LENGTH} characters is cut and ends
   * with a hash of the whole, so distinct long keys stay distinct.
   */
  public static CommentKey derive(String workflow, String job, String matrixJson) {
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(matrixJson, "matrixJson");
    List<String> parts = new ArrayList<>();
    parts.add(workflow.strip().isEmpty() ? "workflow" : workflow.strip());
    parts.add(job.strip().isEmpty() ? "job" : job.strip());
    String matrix = matrixValues(matrixJson);
    if (!matrix.isEmpty()) {
      parts.add(matrix);
    }
    StringBuilder key = new StringBuilder();
    String joined = String.join("/", parts);
    // Lone surrogates become U+FFFD and control characters spaces: a key is one line of text.
    String text0 = new String(joined.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    for (int i = 0; i < text0.length(); i++) {
      char c = text0.charAt(i);
      key.append(Character.isISOControl(c) ? ' ' : c);
    }
    String text = key.toString();
    if (text.length() > MAX_LENGTH) {
      text = text.substring(0, MAX_LENGTH - 13) + "~" + Sha256.hex(text).substring(0, 12);
    }
    return new CommentKey(text);
  }

  private static String matrixValues(String matrixJson) {
    String trimmed = matrixJson.strip();
    if (trimmed.isEmpty() || trimmed.equals("null")) {
      return "";
    }
    JsonNode node;
    try {
      node = JSON.readTree(trimmed);
    } catch (java.io.IOException e) {
      // Not what toJSON(matrix) gives; the text itself still tells legs apart.
      return trimmed.replaceAll("\\s+", " ");
    }
    if (node == null || !node.isObject() || node.isEmpty()) {
      return "";
    }
    List<String> values = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      values.add(e.getKey() + "=" + (v.isValueNode() ? v.asText() : v.toString()));
    }
    return String.join(",", values);
  }

  @Override
  public String toString() {
    return value;
  }

  // Written out: a record's generated equals and hashCode link method handles on first use, which
  // costs a fresh JVM dozens of generated classes on the runner's start (docs/benchmarks.md,
  // "Runner start-up", fourth round).
  @Override
  public boolean equals(Object o) {
    return o instanceof CommentKey k && value.equals(k.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
