package dev.tollgate.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.runs.QueueStats;
import dev.tollgate.core.workitem.WorkItem;

/**
 * The figures every console page shows in its header and follows live: runs queued and running,
 * running runs whose heartbeat is stale, held or locked environments, and a fingerprint of the
 * board that changes whenever an item moves, so an open board knows to refresh.
 */
final class Summary {
  private Summary() {}

  /** The summary now, as JSON; a part that cannot be read is left out. */
  static ObjectNode of(ControlPlane plane) {
    ObjectNode o = Exchange.JSON.createObjectNode();
    if (plane.runs().isPresent()) {
      QueueStats stats = plane.runs().get().stats();
      o.put("queued", stats.lanes().stream().mapToLong(QueueStats.LaneDepth::queued).sum());
      o.put("running", stats.running().size());
      o.put("stale", stats.running().stream().filter(plane::stale).count());
    }
    if (plane.deploys().isPresent()) {
      o.put("locked", plane.deploys().get().locks().locks().size());
    }
    if (plane.workItems().isPresent()) {
      int hash = 1;
      for (WorkItem item : plane.workItems().get().engine().store().backlog().items()) {
        hash =
            31 * hash
                + (item.id() + "|" + item.lane() + "|" + item.status().label() + "|" + item.title())
                    .hashCode();
      }
      o.put("board", Integer.toHexString(hash));
    }
    return o;
  }
}
