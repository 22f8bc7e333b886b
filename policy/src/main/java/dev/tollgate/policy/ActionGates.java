package dev.tollgate.policy;

import dev.tollgate.core.gate.Gate;
import dev.tollgate.core.gate.GateContext;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.core.workitem.WorkItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The built-in gates about work-item actions; each reads {@link ActionFacts} from the context. */
final class ActionGates {
  private ActionGates() {}

  /** Every gate of this class, sorted by id. */
  public static List<Gate> all() {
    return List.<Gate>of(
            new LaneTransition(),
            new LaneEligibility(),
            new WipLimit(),
            new Permission(),
            new PullRequest(),
            new ContextVisibility())
        .stream()
        .sorted(Comparator.comparing(Gate::id))
        .toList();
  }

  /** A gate that needs {@link ActionFacts}; without them it reports an error, not a pass. */
  abstract static class ActionGate implements Gate {
    @Override
    public final GateResult evaluate(GateContext context) {
      Optional<ActionFacts> facts = context.facts(ActionFacts.class);
      if (facts.isEmpty()) {
        return GateResult.error(
            id(),
            "gate " + id() + " evaluates work-item actions, but no action was given",
            Recovery.of(
                "The gate " + id() + " was asked about something that is not a work-item action",
                "gate " + id() + " reads ActionFacts",
                "Use " + id() + " only in the gates of an action",
                "Retrying gives the same error"));
      }
      return evaluate(context, facts.get());
    }

    abstract GateResult evaluate(GateContext context, ActionFacts facts);

    GateResult pass(String reason) {
      return GateResult.pass(id(), reason);
    }

    GateResult blocked(String reason, String cause, String policy, String next, String retry) {
      return GateResult.blocked(id(), reason, Recovery.of(cause, policy, next, retry));
    }
  }

  static String laneTitle(Policy policy, String id) {
    return policy.lane(id).map(Lane::title).orElse(id);
  }

  static String list(Iterable<String> values) {
    return String.join(", ", values);
  }

  static final class LaneTransition extends ActionGate {
    @Override
    public String id() {
      return BuiltInGates.LANE_TRANSITION;
    }

    @Override
    public String description() {
      return "Items move only along the policy's transitions and never out of a terminal lane.";
    }

    @Override
    GateResult evaluate(GateContext context, ActionFacts f) {
      ActionDefinition a = f.action();
      WorkItem item = f.item();
      Policy p = f.policy();
      String from = item.lane();
      Optional<Lane> current = p.lane(from);
      boolean closed = current.isPresent() && current.get().terminal();
      boolean changesStatus = a.status().isPresent() && a.status().get() != item.status();
      if (a.to().isEmpty() && !(closed && changesStatus)) {
        return pass(a.title() + " moves no item between lanes");
      }
      if (closed) {
        String lane = current.get().title();
        return blocked(
            item.id() + " is in the terminal lane " + from,
            lane + " items stay closed; " + a.title() + " cannot move them backward",
            "lanes." + from + ".terminal: true in " + p.file(),
            "Create a net-new work item if more delivery is needed instead of reopening this one",
            "Do not retry " + a.title() + " on a " + lane.toLowerCase(Locale.ROOT) + " item");
      }
      String to = a.to().get();
      if (p.lane(to).isEmpty()) {
        return blocked(
            a.id() + " moves items to lane " + to + ", which the policy does not declare",
            "The policy has no lane " + to + " for " + a.title() + " to move items to",
            "actions." + a.id() + ".to is " + to + "; lanes declares: " + list(p.laneIds()),
            "Declare the lane "
                + to
                + " in "
                + p.file()
                + " or set actions."
                + a.id()
                + ".to to one of its lanes",
            "Retrying is safe but stays blocked until the policy changes");
      }
      if (from.equals(to)) {
        return blocked(
            item.id() + " is already in lane " + to,
            a.title()
                + " moves items to "
                + laneTitle(p, to)
                + ", and "
                + item.id()
                + " is already there",
            "actions." + a.id() + ".to: " + to,
            "Nothing to do; pick another of the item's available actions",
            "Retrying is safe and changes nothing");
      }
      Set<String> allowed = p.allowedTargets(from);
      if (!allowed.contains(to)) {
        return blocked(
            "the policy allows no move from " + from + " to " + to,
            "Items in " + laneTitle(p, from) + " cannot move straight to " + laneTitle(p, to),
            allowed.isEmpty()
                ? "transitions." + from + " allows no moves"
                : "transitions." + from + " allows: " + list(allowed),
            allowed.isEmpty()
                ? "Ask a policy owner to allow " + from + " → " + to + " in " + p.file()
                : "Move the item to one of "
                    + list(allowed)
                    + " first, or ask a policy owner to allow "
                    + from
                    + " → "
                    + to,
            "Retrying is safe but stays blocked while the item is in " + from);
      }
      return pass("the move " + from + " → " + to + " is allowed");
    }
  }

  static final class LaneEligibility extends ActionGate {
    @Override
    public String id() {
      return BuiltInGates.LANE_ELIGIBILITY;
    }

    @Override
    public String description() {
      return "The item is in one of the lanes the action accepts items from.";
    }

    @Override
    GateResult evaluate(GateContext context, ActionFacts f) {
      ActionDefinition a = f.action();
      String lane = f.item().lane();
      if (a.from().isEmpty()) {
        return pass(a.title() + " accepts items from any lane");
      }
      if (a.from().contains(lane)) {
        return pass("lane " + lane + " is one of " + a.id() + "'s lanes: " + list(a.from()));
      }
      return blocked(
          "lane " + lane + " is not one of " + a.id() + "'s lanes: " + list(a.from()),
          a.title()
              + " applies only to items in "
              + list(a.from())
              + "; "
              + f.item().id()
              + " is in "
              + lane,
          "actions." + a.id() + ".from: [" + list(a.from()) + "]",
          "Move the item to one of " + list(a.from()) + " first",
          "Retrying is safe but stays blocked while the item is in " + lane);
    }
  }

  static final class WipLimit extends ActionGate {
    @Override
    public String id() {
      return BuiltInGates.WIP_LIMIT;
    }

    @Override
    public String description() {
      return "The target lane has room under its WIP limit; a full lane names the items holding it.";
    }

    @Override
    GateResult evaluate(GateContext context, ActionFacts f) {
      ActionDefinition a = f.action();
      if (a.to().isEmpty()) {
        return pass(a.title() + " moves no item, so no WIP limit applies");
      }
      String to = a.to().get();
      Optional<Lane> lane = f.policy().lane(to);
      if (lane.isEmpty() || lane.get().wipLimit().isEmpty()) {
        return pass("lane " + to + " has no WIP limit");
      }
      int limit = lane.get().wipLimit().getAsInt();
      List<String> holders =
          f.backlog().inLane(to).stream()
              .map(WorkItem::id)
              .filter(id -> !id.equals(f.item().id()))
              .toList();
      if (holders.size() < limit) {
        return pass("lane " + to + " holds " + holders.size() + " of " + limit + " items");
      }
      String names = list(holders);
      return blocked(
          "lane " + to + " is full: " + holders.size() + " of " + limit + " (" + names + ")",
          "Lane "
              + lane.get().title()
              + " already holds its limit of "
              + limit
              + " items: "
              + names,
          "lanes." + to + ".wip_limit: " + limit,
          "Finish or move one of " + names + " out of " + to + " first",
          "Retrying is safe; it stays blocked until an item leaves " + to);
    }
  }

  static final class Permission extends ActionGate {
    @Override
    public String id() {
      return BuiltInGates.PERMISSION;
    }

    @Override
    public String description() {
      return "The actor holds the permission the action needs, directly or through a team.";
    }

    @Override
    GateResult evaluate(GateContext context, ActionFacts f) {
      ActionDefinition a = f.action();
      if (a.permission().isEmpty()) {
        return pass(a.title() + " needs no permission");
      }
      String perm = a.permission().get();
      Optional<String> actor = context.actor();
      if (actor.isEmpty()) {
        return blocked(
            "no actor was named, and " + a.id() + " needs " + perm,
            a.title() + " needs the permission " + perm + " and no actor was named",
            "actions." + a.id() + ".permission: " + perm,
            "Name the actor who performs the action (e.g. --actor NAME)",
            "Retrying with an actor is safe");
      }
      List<String> via = f.policy().grantsOf(perm, actor.get());
      if (!via.isEmpty()) {
        return pass(actor.get() + " holds " + perm + " (" + list(via) + ")");
      }
      var grant = f.policy().permissions().get(perm);
      String context0 =
          grant == null
              ? "permissions." + perm + " is not declared, so nobody holds it"
              : "permissions."
                  + perm
                  + " grants users: "
                  + (grant.users().isEmpty() ? "none" : list(grant.users()))
                  + "; teams: "
                  + (grant.teams().isEmpty() ? "none" : list(grant.teams()));
      return blocked(
          actor.get() + " does not hold " + perm,
          a.title() + " needs the permission " + perm + ", which " + actor.get() + " does not hold",
          context0,
          "Ask someone who holds "
              + perm
              + ", or ask a policy owner to grant it to "
              + actor.get()
              + " or one of their teams",
          "Retrying is safe but stays blocked until the grant changes");
    }
  }

  static final class PullRequest extends ActionGate {
    @Override
    public String id() {
      return BuiltInGates.PULL_REQUEST;
    }

    @Override
    public String description() {
      return "The item has a pull request linked in its pr field.";
    }

    @Override
    GateResult evaluate(GateContext context, ActionFacts f) {
      WorkItem item = f.item();
      if (item.pr().isPresent()) {
        return pass("pull request linked: " + item.pr().get());
      }
      return blocked(
          item.id() + " has no pull request linked",
          f.action().title() + " needs a linked pull request and " + item.id() + " has none",
          "actions." + f.action().id() + ".gates includes pull-request",
          "Open a pull request"
              + item.branch().map(b -> " for branch " + b).orElse("")
              + " and set pr: <URL> in the item's file",
          "Retrying is safe once the pr field is set");
    }
  }

  static final class ContextVisibility extends ActionGate {
    @Override
    public String id() {
      return BuiltInGates.CONTEXT_VISIBILITY;
    }

    @Override
    public String description() {
      return "The item's prompt/context file exists and is readable.";
    }

    @Override
    GateResult evaluate(GateContext context, ActionFacts f) {
      WorkItem item = f.item();
      String rel = item.promptPath();
      Path root = context.projectRoot().toAbsolutePath().normalize();
      Path file = root.resolve(rel).normalize();
      String policyContext =
          item.prompt().isPresent()
              ? "the item's prompt field names " + rel
              : "an item's context lives in work-items/prompts/<id>.prompt.md unless its prompt"
                  + " field names another file";
      String next = "Create " + rel + " with the prompt and context for " + item.id();
      String retry = "Retrying is safe once the file is readable";
      if (!file.startsWith(root) || !realPathInside(root, file)) {
        return blocked(
            "context file " + rel + " is outside the project",
            "The prompt path " + rel + " leaves the project root, so nobody else can see it",
            policyContext,
            "Set prompt: to a path inside the project",
            retry);
      }
      if (!Files.exists(file)) {
        return blocked(
            "context file " + rel + " does not exist",
            f.action().title()
                + " needs the item's prompt/context so everyone sees the same context; "
                + rel
                + " is missing",
            policyContext,
            next,
            retry);
      }
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        return blocked(
            "context file " + rel + " is not a readable file",
            f.action().title() + " needs the item's prompt/context, and " + rel + " cannot be read",
            policyContext,
            "Make " + rel + " a regular, readable file",
            retry);
      }
      return pass("context file " + rel + " is readable");
    }

    /** Whether {@code file}, with symbolic links followed, is still under {@code root}. */
    private static boolean realPathInside(Path root, Path file) {
      if (!Files.exists(file)) {
        return true; // nothing to follow; "does not exist" says the rest
      }
      try {
        return file.toRealPath().startsWith(root.toRealPath());
      } catch (IOException e) {
        return false;
      }
    }
  }
}
