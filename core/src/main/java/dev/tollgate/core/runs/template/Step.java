package dev.tollgate.core.runs.template;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * One step of a {@link RunTemplate}: a shell script, an HTTP request or a container, run in order
 * by a worker.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
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
