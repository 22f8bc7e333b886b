package dev.tollgate.core.runs.template;

import java.time.Duration;

/**
 * One step of a {@link RunTemplate}: a shell script, an HTTP request or a container, run in order
 * by a worker.
 */
public sealed interface Step permits ShellStep, HttpStep, DockerStep {

  /** The step's name, unique within its template. */
  String name();

  /** The longest the step may take; the template's timeout when the step does not set one. */
  Duration timeout();

  /**
   * The step's kind as written in templates and events: {@code shell}, {@code http}, {@code
   * docker}.
   */
  String kind();
}
