package dev.tollgate.cli.deploy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.actions.report.JsonText;
import dev.tollgate.cli.runs.RunViews;
import dev.tollgate.core.deploy.store.LockHolder;
import dev.tollgate.core.deploy.store.Release;
import java.time.Duration;
import java.time.Instant;

/** How locks and releases are shown: text for people, JSON for tools. */
public final class DeployViews {
  private DeployViews() {}

  static ObjectNode json(LockHolder l) {
    ObjectNode o = JsonText.mapper().createObjectNode();
    o.put("environment", l.environment());
    o.put("kind", l.kind());
    o.put("holder", l.holder());
    o.put("author", l.author());
    o.put("reason", l.reason());
    o.put("fencingToken", l.fencingToken());
    o.put("acquiredAt", l.acquiredAt().toString());
    o.put("heartbeatAt", l.heartbeatAt().toString());
    return o;
  }

  /** One line about a lock, its age counted to {@code now}. */
  static String line(LockHolder l, Instant now) {
    Duration held = Duration.between(l.acquiredAt(), now);
    return l.environment()
        + ": "
        + (l.isHold() ? "held" : "deploying")
        + " by "
        + l.holder()
        + " ("
        + l.author()
        + ") since "
        + l.acquiredAt()
        + " ("
        + RunViews.age(held.isNegative() ? Duration.ZERO : held)
        + ") — "
        + l.reason();
  }

  static ObjectNode json(Release r) {
    ObjectNode o = JsonText.mapper().createObjectNode();
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

  static String line(Release r) {
    return "release "
        + r.id()
        + "  "
        + r.status()
        + "  "
        + r.version()
        + " ("
        + r.commitSha().substring(0, Math.min(12, r.commitSha().length()))
        + ")  by "
        + r.actor()
        + (r.changeId() == null ? "" : "  change " + r.changeId())
        + (r.overrideReason() == null ? "" : "  EMERGENCY: " + r.overrideReason())
        + (r.backupRef() == null ? "" : "  backup " + r.backupRef())
        + "  "
        + r.startedAt()
        + (r.message() == null ? "" : "  — " + r.message());
  }
}
