package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.config.DidYouMean;
import dev.tollgate.core.config.YamlConfig;
import dev.tollgate.core.workitem.Backlog;
import dev.tollgate.core.workitem.FieldChange;
import dev.tollgate.core.workitem.FileWorkItemStore;
import dev.tollgate.core.workitem.Freshness;
import dev.tollgate.core.workitem.HistoryEntry;
import dev.tollgate.core.workitem.NewWorkItem;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.core.workitem.WorkItemChange;
import dev.tollgate.core.workitem.WorkItemSchema;
import dev.tollgate.core.workitem.WorkItemStatus;
import dev.tollgate.core.workitem.WorkItemStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The work-item service: what every front end (the CLI, the control plane, an embedding service)
 * calls to show a work item in detail, create one, or change its owner, priority, due date, epic
 * and blockers, under the project's policy.
 *
 * <p>Writes are checked against the policy (declared lanes and epics, WIP limits) and the backlog
 * (blockers name existing items and close no cycle), checked against the work-item schema, stored
 * atomically only if nobody changed the item since it was read, and recorded as one history entry
 * (who, when from the injected clock, what changed). Problems are bad input carrying one {@link
 * Diagnostic} each. Writes through one service are serialized.
 *
 * <pre>{@code
 * PolicyEngine engine = PolicyEngine.load(root, clock);
 * WorkItemService items = WorkItemService.of(engine, clock);
 * ItemDetail detail = items.detail("wi-1", "alice");            // JSON: items show
 * items.update("wi-1", WorkItemChange.builder().owner("bob").build(), "alice");
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class WorkItemService {
  private final PolicyEngine engine;
  private final Clock clock;
  private final Duration staleAfter;

  private WorkItemService(Builder b) {
    this.engine = b.engine;
    this.clock = b.clock;
    this.staleAfter = b.staleAfter;
  }

  /** A service over {@code engine} reading time from {@code clock}, with the default threshold. */
  public static WorkItemService of(PolicyEngine engine, Clock clock) {
    return builder(engine, clock).build();
  }

  /** A builder of a service over {@code engine} reading time from {@code clock}. */
  public static Builder builder(PolicyEngine engine, Clock clock) {
    return new Builder(engine, clock);
  }

  /** The engine whose policy and store this service uses. */
  public PolicyEngine engine() {
    return engine;
  }

  /** The age beyond which an item's data counts as stale. */
  public Duration staleAfter() {
    return staleAfter;
  }

  /**
   * The file of item {@code id} relative to the project root, e.g. {@code work-items/wi-1.yml}:
   * where it is stored, or would be created.
   */
  public String file(String id) {
    return engine.store() instanceof FileWorkItemStore files
        ? files.displayPath(id)
        : FileWorkItemStore.DIRECTORY + "/" + id + ".yml";
  }

  /**
   * Item {@code id} in detail, with the actions it offers to {@code actor} ({@code null} when
   * unknown), observed now by the service's clock.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when there is no such item, suggesting the
   *     closest id
   */
  public ItemDetail detail(String id, String actor) {
    Policy policy = engine.policy();
    WorkItem item = engine.item(id);
    Backlog backlog = engine.store().backlog();
    String file = file(id);
    Optional<Freshness> freshness =
        engine.store().snapshot(id).map(s -> Freshness.assess(s, clock.instant(), staleAfter));
    ItemDetail.QueueTruth truth =
        new ItemDetail.QueueTruth(
            freshness, ItemDrift.of(policy, backlog, engine.projectRoot(), item, file));
    return new ItemDetail(
        item,
        item.epic().flatMap(policy::epic),
        policy.lane(item.lane()).map(Lane::title).orElse(item.lane()),
        file,
        backlog.blockers(item),
        truth,
        PromptFiles.of(engine.projectRoot(), item),
        Optional.ofNullable(actor),
        engine.actions(id, actor));
  }

  /**
   * Creates the item {@code request} describes, as {@code actor}: in its lane (the policy's first
   * lane when it names none) with the status that lane gives entering items ({@code open} when it
   * gives none), and a {@code create} history entry.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when the actor is blank, the id is taken,
   *     the lane is undeclared, terminal or full, the epic is undeclared, or a blocker names no
   *     item, the item itself or closes a cycle (one diagnostic each); {@code COULD_NOT_FINISH}
   *     when it cannot be written (nothing is then written)
   */
  public synchronized WorkItemWrite create(NewWorkItem request, String actor) {
    Objects.requireNonNull(request, "request");
    String who = actor(actor);
    Policy policy = engine.policy();
    WorkItemStore store = engine.store();
    Backlog backlog = store.backlog();
    String id = request.id();
    String file = file(id);
    Location at = Location.ofFile(file);
    List<Diagnostic> errors = new ArrayList<>();
    if (store.find(id).isPresent()) {
      errors.add(
          error(
              "work item '" + id + "' already exists",
              store.locate(id, "id").orElse(at),
              "Choose another id, or change the existing item with an update."));
    }
    Optional<Lane> lane =
        request.lane().isPresent()
            ? entryLane(request.lane().get(), policy, backlog, at, errors)
            : policy.lanes().stream().findFirst();
    request.epic().ifPresent(e -> checkEpic(e, policy, at, errors));
    for (String b : request.blockers()) {
      checkBlocker(id, b, backlog, at, errors);
    }
    if (lane.isEmpty() && errors.isEmpty()) {
      errors.add(error("the policy declares no lane to create the item in", at, null));
    }
    WorkItem.Builder b =
        WorkItem.builder(id, request.title(), lane.map(Lane::id).orElse("-"))
            .status(lane.flatMap(Lane::entryStatus).orElse(WorkItemStatus.OPEN))
            .epic(request.epic().orElse(null))
            .owner(request.owner().orElse(null))
            .due(request.due().orElse(null))
            .blockers(request.blockers());
    request.priority().ifPresent(b::priority);
    WorkItem draft = b.build();
    if (errors.isEmpty()) {
      checkCycles(draft, request.blockers(), backlog, at, errors);
    }
    if (!errors.isEmpty()) {
      throw YamlConfig.invalid(file, errors);
    }
    HistoryEntry entry =
        HistoryEntry.note(
            clock.instant(),
            who,
            WorkItemWrite.Kind.CREATE.label(),
            "created in lane " + draft.lane());
    WorkItem item = draft.toBuilder().addHistory(entry).build();
    WorkItemSchema.check(item, file);
    store.add(item);
    return new WorkItemWrite(
        WorkItemWrite.Kind.CREATE, who, item, file(id), created(item), Optional.of(entry));
  }

  /**
   * Applies {@code change} to item {@code id} as {@code actor}, appending an {@code update} history
   * entry that says what changed. A change that leaves every value as it was writes nothing.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when the actor is blank, there is no such
   *     item, the epic is undeclared, a blocker to add names no item, the item itself or closes a
   *     cycle, or a blocker to remove is not among the item's (one diagnostic each); {@code
   *     COULD_NOT_FINISH} when the item changed since it was read or cannot be written (nothing is
   *     then written)
   */
  public synchronized WorkItemWrite update(String id, WorkItemChange change, String actor) {
    Objects.requireNonNull(change, "change");
    String who = actor(actor);
    WorkItem before = engine.item(id);
    Policy policy = engine.policy();
    WorkItemStore store = engine.store();
    Backlog backlog = store.backlog();
    String file = file(id);
    Location at = Location.ofFile(file);
    List<Diagnostic> errors = new ArrayList<>();
    if (change.epic() instanceof WorkItemChange.Edit.SetTo<String> epic) {
      checkEpic(epic.value(), policy, at, errors);
    }
    for (String b : change.addBlockers()) {
      checkBlocker(id, b, backlog, at, errors);
    }
    WorkItem after = before;
    try {
      after = change.applyTo(before);
    } catch (IllegalArgumentException notABlocker) {
      errors.add(
          error(
              notABlocker.getMessage(),
              store.locate(id, "blockers").orElse(at),
              "Name a blocker exactly as the item's file lists it."));
    }
    if (errors.isEmpty()) {
      checkCycles(after, change.addBlockers(), backlog, at, errors);
    }
    if (!errors.isEmpty()) {
      throw YamlConfig.invalid(file, errors);
    }
    List<FieldChange> changes = WorkItemChange.diff(before, after);
    if (changes.isEmpty()) {
      return new WorkItemWrite(
          WorkItemWrite.Kind.UPDATE, who, before, file, List.of(), Optional.empty());
    }
    HistoryEntry entry =
        HistoryEntry.note(
            clock.instant(),
            who,
            WorkItemWrite.Kind.UPDATE.label(),
            changes.stream().map(FieldChange::toString).collect(Collectors.joining("; ")));
    WorkItem saved = after.toBuilder().addHistory(entry).build();
    WorkItemSchema.check(saved, file);
    store.replace(before, saved);
    return new WorkItemWrite(
        WorkItemWrite.Kind.UPDATE, who, saved, file, changes, Optional.of(entry));
  }

  private static String actor(String actor) {
    if (actor == null || actor.isBlank()) {
      throw TollgateException.badInput(
          "the actor must not be blank: every write is recorded in the item's history");
    }
    return actor.strip();
  }

  /** The fields of a new item, as changes from nothing, in the order of its file. */
  private static List<FieldChange> created(WorkItem item) {
    List<FieldChange> out = new ArrayList<>();
    out.add(FieldChange.of("title", null, item.title()));
    item.epic().ifPresent(v -> out.add(FieldChange.of("epic", null, v)));
    out.add(FieldChange.of("lane", null, item.lane()));
    out.add(FieldChange.of("status", null, item.status().label()));
    item.priority().ifPresent(v -> out.add(FieldChange.of("priority", null, Integer.toString(v))));
    item.owner().ifPresent(v -> out.add(FieldChange.of("owner", null, v)));
    item.due().ifPresent(v -> out.add(FieldChange.of("due", null, v.toString())));
    item.blockers().forEach(v -> out.add(FieldChange.added("blockers", v)));
    return out;
  }

  /** The lane a new item may start in, or empty with the reason added to {@code errors}. */
  private static Optional<Lane> entryLane(
      String id, Policy policy, Backlog backlog, Location at, List<Diagnostic> errors) {
    Optional<Lane> lane = policy.lane(id);
    if (lane.isEmpty()) {
      errors.add(undeclared("lane", id, policy.laneIds(), policy.file(), at));
      return Optional.empty();
    }
    Lane l = lane.get();
    if (l.terminal()) {
      errors.add(
          error(
              "a new item cannot start in lane "
                  + id
                  + ", which is terminal (items there are done)",
              at,
              "Create it in an earlier lane and move it with the policy's actions."));
      return Optional.empty();
    }
    if (l.wipLimit().isPresent()) {
      List<String> holders = backlog.inLane(id).stream().map(WorkItem::id).toList();
      int limit = l.wipLimit().getAsInt();
      if (holders.size() >= limit) {
        errors.add(
            error(
                "lane "
                    + id
                    + " is full: "
                    + holders.size()
                    + " of "
                    + limit
                    + " ("
                    + String.join(", ", holders)
                    + ")",
                at,
                "Finish or move one of them out of "
                    + id
                    + " first, or create the item in another lane (lanes."
                    + id
                    + ".wip_limit: "
                    + limit
                    + " in "
                    + policy.file()
                    + ")."));
        return Optional.empty();
      }
    }
    return lane;
  }

  private static void checkEpic(String epic, Policy policy, Location at, List<Diagnostic> errors) {
    if (policy.epic(epic).isEmpty()) {
      errors.add(undeclared("epic", epic, policy.epics().keySet(), policy.file(), at));
    }
  }

  private static void checkBlocker(
      String id, String blocker, Backlog backlog, Location at, List<Diagnostic> errors) {
    if (blocker.strip().equals(id)) {
      errors.add(error(id + " cannot be its own blocker", at, null));
      return;
    }
    if (backlog.find(blocker.strip()).isEmpty()) {
      List<String> known = backlog.items().stream().map(WorkItem::id).toList();
      errors.add(
          error(
              "blockers names the work item '"
                  + blocker
                  + "', which does not exist"
                  + DidYouMean.suggest(blocker, known)
                      .map(s -> "; did you mean `" + s + "`?")
                      .orElse(""),
              at,
              "Blockers added here name work items; free-text blockers are written in the item's"
                  + " file."));
    }
  }

  /**
   * Adds an error for each of {@code added} that makes {@code item} wait, through unfinished items,
   * for itself: two items that wait for each other can never start.
   */
  private static void checkCycles(
      WorkItem item, List<String> added, Backlog backlog, Location at, List<Diagnostic> errors) {
    Map<String, WorkItem> byId = new HashMap<>();
    backlog.items().forEach(i -> byId.put(i.id(), i));
    byId.put(item.id(), item);
    for (String start : added) {
      Optional<List<String>> path = pathTo(start.strip(), item.id(), byId);
      if (path.isPresent()) {
        errors.add(
            error(
                "blocker '"
                    + start
                    + "' would close a cycle: "
                    + item.id()
                    + " → "
                    + String.join(" → ", path.get()),
                at,
                "Items that wait for each other can never start; remove one of the blockers."));
      }
    }
  }

  /** The shortest chain of unfinished blockers leading from {@code from} to {@code to}. */
  private static Optional<List<String>> pathTo(String from, String to, Map<String, WorkItem> byId) {
    Map<String, String> cameFrom = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>();
    queue.add(from);
    cameFrom.put(from, null);
    while (!queue.isEmpty()) {
      String at = queue.poll();
      if (at.equals(to)) {
        List<String> path = new ArrayList<>();
        for (String s = at; s != null; s = cameFrom.get(s)) {
          path.add(0, s);
        }
        return Optional.of(path);
      }
      WorkItem i = byId.get(at);
      if (i == null || i.status().finished()) {
        continue; // a finished item holds nothing back
      }
      for (String b : i.blockers()) {
        String next = b.strip();
        if (byId.containsKey(next) && !cameFrom.containsKey(next)) {
          cameFrom.put(next, at);
          queue.add(next);
        }
      }
    }
    return Optional.empty();
  }

  private static Diagnostic undeclared(
      String field, String value, Collection<String> declared, String policyFile, Location at) {
    String message =
        field
            + " names the "
            + field
            + " '"
            + value
            + "', which "
            + policyFile
            + " does not declare"
            + DidYouMean.suggest(value, declared)
                .map(s -> "; did you mean `" + s + "`?")
                .orElse("");
    return error(
        message,
        at,
        declared.isEmpty()
            ? "Declare it under " + field + "s in " + policyFile + "."
            : "Declared " + field + "s: " + String.join(", ", declared) + ".");
  }

  private static Diagnostic error(String message, Location at, String hint) {
    return Diagnostic.of(Severity.ERROR, WorkItem.RULE_ID, message, at, hint);
  }

  /** A builder of {@link WorkItemService}s whose every setter checks its input. */
  public static final class Builder {
    private final PolicyEngine engine;
    private final Clock clock;
    private Duration staleAfter = Freshness.DEFAULT_STALE_AFTER;

    private Builder(PolicyEngine engine, Clock clock) {
      this.engine = Objects.requireNonNull(engine, "engine");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Sets the age beyond which an item's data counts as stale; default {@link
     * Freshness#DEFAULT_STALE_AFTER}.
     *
     * @throws IllegalArgumentException when it is zero or negative
     */
    public Builder staleAfter(Duration value) {
      this.staleAfter = Freshness.checkThreshold(value);
      return this;
    }

    /** The service. */
    public WorkItemService build() {
      return new WorkItemService(this);
    }
  }
}
