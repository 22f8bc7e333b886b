package dev.tollgate.core.deploy.service;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.deploy.ChangeCheck;
import dev.tollgate.core.deploy.ChangeRequest;
import dev.tollgate.core.deploy.Promotion;
import dev.tollgate.core.deploy.WindowDecision;
import dev.tollgate.core.deploy.store.AuditEntry;
import dev.tollgate.core.deploy.store.LockHolder;
import dev.tollgate.core.deploy.store.PromotionEntry;
import dev.tollgate.core.deploy.store.Release;
import java.time.Instant;
import org.apiguardian.api.API;

/**
 * The JSON shapes of locks, releases, change requests, promotions, environments and audit entries:
 * one definition for the CLI's {@code --format json}, the control plane's API and embedders.
 *
 * <p>Values come as stored; a deploy masks secrets before it records anything, so nothing here
 * needs masking again.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class DeployJson {
  private DeployJson() {}

  private static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** A lock or hold on an environment: who, why, since when, its fencing token. */
  public static ObjectNode lock(LockHolder l) {
    ObjectNode o = object();
    o.put("environment", l.environment());
    o.put("kind", l.kind());
    o.put("holder", l.holder());
    o.put("author", l.author());
    o.put("reason", l.reason());
    o.put("fencingToken", l.fencingToken());
    o.put("acquiredAt", l.acquiredAt().toString());
    o.put("heartbeatAt", l.heartbeatAt().toString());
    o.put("stale", l.stale());
    return o;
  }

  /** A release record: what shipped where, by whom, how it ended, its backup and log. */
  public static ObjectNode release(Release r) {
    ObjectNode o = object();
    o.put("id", r.id());
    o.put("environment", r.environment());
    o.put("version", r.version());
    o.put("commit", r.commitSha());
    if (r.ref() != null) {
      o.put("ref", r.ref());
    }
    o.put("actor", r.actor());
    ArrayNode approvers = o.putArray("approvers");
    r.approvers().forEach(approvers::add);
    o.put("changeId", r.changeId());
    o.put("windowDecision", r.windowDecision());
    o.put("overrideReason", r.overrideReason());
    o.put("status", r.status());
    o.put("backupRef", r.backupRef());
    if (r.rollbackOf() != null) {
      o.put("rollbackOf", r.rollbackOf());
    }
    if (r.runId() != null) {
      o.put("runId", r.runId());
    }
    o.put("message", r.message());
    ArrayNode artifacts = o.putArray("artifacts");
    for (Release.ReleaseArtifact a : r.artifacts()) {
      artifacts.addObject().put("path", a.path()).put("sha256", a.sha256()).put("size", a.size());
    }
    o.put("startedAt", r.startedAt().toString());
    o.put("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
    return o;
  }

  /**
   * A change request with its approval chain: every approval recorded, which count towards the
   * approvals needed and why the others do not.
   */
  public static ObjectNode change(ChangeReview review) {
    ChangeRequest c = review.request();
    ChangeCheck.Tally tally = review.tally();
    ObjectNode o = object();
    o.put("id", c.id())
        .put("environment", c.environment())
        .put("type", c.type().label())
        .put("risk", c.risk().label())
        .put("commit", c.commitSha())
        .put("author", c.author())
        .put("reason", c.reason().orElse(null))
        .put("status", c.status().label());
    ArrayNode approvals = o.putArray("approvals");
    c.approvals()
        .forEach(
            a ->
                approvals
                    .addObject()
                    .put("actor", a.actor())
                    .put("commit", a.commitSha())
                    .put("at", a.at().toString()));
    o.put("approvalsNeeded", review.approvalsNeeded());
    ArrayNode counted = o.putArray("counted");
    tally.counted().forEach(counted::add);
    ArrayNode ignored = o.putArray("ignored");
    tally
        .ignored()
        .forEach(i -> ignored.addObject().put("actor", i.approval().actor()).put("why", i.why()));
    return o;
  }

  /**
   * A promotion with, once a deploy executed it, its release's id, backup reference and the run
   * whose events are its log ({@code logRunId}).
   */
  public static ObjectNode promotion(PromotionEntry e) {
    Promotion p = e.promotion();
    ObjectNode o = object();
    o.put("id", p.id())
        .put("environment", p.environment())
        .put("releaseRef", p.releaseRef())
        .put("commit", e.commitSha())
        .put("status", p.status().label());
    e.release()
        .ifPresent(
            r -> {
              o.put("releaseId", r.id()).put("backupRef", r.backupRef());
              if (r.runId() != null) {
                o.put("logRunId", r.runId());
              }
            });
    return o;
  }

  /**
   * An environment as an operator sees it: its lock or hold, whether its windows let a deploy start
   * now and when that changes, and its latest release.
   */
  public static ObjectNode environment(EnvironmentStatus s) {
    ObjectNode o = object();
    o.put("environment", s.environment());
    if (s.lock().isPresent()) {
      o.set("lock", lock(s.lock().get()));
    } else {
      o.putNull("lock");
    }
    ObjectNode window = o.putObject("window");
    WindowDecision w = s.window();
    window.put("open", w.allowsStart());
    window.put("reason", w.reason());
    put(window, "nextChange", s.nextWindowChange().orElse(null));
    if (s.latest().isPresent()) {
      o.set("latestRelease", release(s.latest().get()));
    } else {
      o.putNull("latestRelease");
    }
    return o;
  }

  /** One line of an environment's audit trail. */
  public static ObjectNode audit(AuditEntry a) {
    ObjectNode o = object();
    o.put("id", a.id());
    o.put("environment", a.environment());
    o.put("at", a.at().toString());
    o.put("actor", a.actor());
    o.put("kind", a.kind());
    o.put("message", a.message());
    o.set("data", a.data());
    return o;
  }

  private static void put(ObjectNode o, String name, Instant value) {
    if (value == null) {
      o.putNull(name);
    } else {
      o.put(name, value.toString());
    }
  }
}
