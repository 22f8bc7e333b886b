package dev.tollgate.cli.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.cli.runs.RunViews;
import dev.tollgate.core.deploy.service.DeployJson;
import dev.tollgate.core.deploy.store.LockHolder;
import dev.tollgate.core.deploy.store.Release;
import java.time.Duration;
import java.time.Instant;

/** How locks and releases are shown: text for people, JSON for tools. */
public final class DeployViews {
  private DeployViews() {}

  static ObjectNode json(LockHolder l) {
    return DeployJson.lock(l);
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
    return DeployJson.release(r);
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
