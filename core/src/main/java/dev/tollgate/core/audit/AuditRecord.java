package dev.tollgate.core.audit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Instant;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One entry of the audit log: who did what, on what, when, and how it ended.
 *
 * @param id its number, increasing with time; 0 before it is recorded
 * @param at when it was recorded (the database's clock); null before it is recorded
 * @param actor who did it, as the front end authenticated them
 * @param action what they did, e.g. {@code POST /api/deploys/promotions/{id}/deploy}
 * @param target what it was done to, e.g. the request's path {@code
 *     /api/deploys/promotions/7/deploy}
 * @param status the answer's HTTP status (or a front end's own code): 2xx done, 4xx refused
 * @param result {@code done} or {@code refused}
 * @param message why it was refused, or what was done; may be null
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record AuditRecord(
    long id,
    Instant at,
    String actor,
    String action,
    String target,
    int status,
    String result,
    String message) {

  /** Checks the fields. */
  public AuditRecord {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(result, "result");
  }

  /** A new entry to record: {@code done} for a status below 400, {@code refused} otherwise. */
  public static AuditRecord of(
      String actor, String action, String target, int status, String message) {
    return new AuditRecord(
        0, null, actor, action, target, status, status < 400 ? "done" : "refused", message);
  }
}
