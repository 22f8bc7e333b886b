package dev.tollgate.controlplane.internal.pages;

import java.util.List;

/**
 * A run's page: its state, steps, artifacts and log.
 *
 * @param frame the frame
 * @param id its id
 * @param title {@code run 42 · restart-service}
 * @param status its status
 * @param fields its attempts, times, worker and outcome
 * @param params its parameters as indented JSON (secret values are {@code ***})
 * @param steps one line per step start
 * @param artifacts name, size and SHA-256 per artifact
 * @param log the log lines, oldest first
 * @param cancellable whether it can be cancelled (queued or running)
 * @param retryable whether it can be retried (failed or cancelled)
 * @param cancelHref the confirmation page of cancelling it
 * @param retryAction where the retry form posts
 * @param notice the outcome of the action just done, or empty
 * @param streamUrl the live stream of its events (Server-Sent Events)
 * @param exportText the log as a text download
 * @param manifestHref the run's {@code sha256_manifest.txt}
 * @param exportJson the events as JSON
 */
public record RunPage(
    Frame frame,
    String id,
    String title,
    String status,
    List<Field> fields,
    String params,
    List<Field> steps,
    List<ArtifactRow> artifacts,
    List<LogLine> log,
    boolean cancellable,
    boolean retryable,
    String cancelHref,
    String retryAction,
    String notice,
    String streamUrl,
    String exportText,
    String exportJson,
    String manifestHref) {

  /**
   * An artifact of the run.
   *
   * @param name its name
   * @param detail its size and SHA-256
   * @param viewHref its viewer page
   * @param downloadHref its content
   */
  public record ArtifactRow(String name, String detail, String viewHref, String downloadHref) {}

  /**
   * One log line.
   *
   * @param seq its sequence number
   * @param at when (ISO-8601)
   * @param stream {@code stdout}, {@code stderr} or the event kind
   * @param text the text
   */
  public record LogLine(long seq, String at, String stream, String text) {}
}
