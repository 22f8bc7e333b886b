package dev.tollgate.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import java.util.Optional;

/**
 * A request the control plane refuses: the HTTP status and the {@link Diagnostic} sent back as the
 * body, plus optional fields (a blocked action's gates and recovery).
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final Location NOWHERE = new Location("", 0, 0);

  private final int status;
  private final transient Diagnostic diagnostic;
  private final transient ObjectNode extra;

  ApiException(int status, Diagnostic diagnostic, ObjectNode extra) {
    super(diagnostic.message());
    this.status = status;
    this.diagnostic = diagnostic;
    this.extra = extra;
  }

  /** A refusal with no location (the request as a whole). */
  static ApiException of(int status, String rule, String message, String hint) {
    return new ApiException(
        status, Diagnostic.of(Severity.ERROR, rule, message, NOWHERE, hint), null);
  }

  /** 400: a bad parameter or body. */
  static ApiException badRequest(String message, String hint) {
    return of(400, "api.bad-request", message, hint);
  }

  /** 404: nothing at this path or with this id. */
  static ApiException notFound(String message) {
    return of(404, "api.not-found", message, null);
  }

  /** The HTTP status. */
  int status() {
    return status;
  }

  /** The problem, as the body states it. */
  Diagnostic diagnostic() {
    return diagnostic;
  }

  /** Fields added beside {@code error}, if any. */
  Optional<ObjectNode> extra() {
    return Optional.ofNullable(extra);
  }
}
