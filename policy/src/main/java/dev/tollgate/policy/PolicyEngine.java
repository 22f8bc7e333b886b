package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.config.ConfigDocument;
import dev.tollgate.core.config.DidYouMean;
import dev.tollgate.core.config.YamlConfig;
import dev.tollgate.core.gate.Gate;
import dev.tollgate.core.gate.GateContext;
import dev.tollgate.core.gate.GateRegistry;
import dev.tollgate.core.gate.Verdict;
import dev.tollgate.core.workitem.Backlog;
import dev.tollgate.core.workitem.FileWorkItemStore;
import dev.tollgate.core.workitem.HistoryEntry;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.core.workitem.WorkItemStatus;
import dev.tollgate.core.workitem.WorkItemStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The policy engine: evaluates the actions catalog against work items and performs actions whose
 * gates all pass, writing the item's new lane, status, state and history through its {@link
 * WorkItemStore}.
 *
 * <p>Evaluation is deterministic: it depends on the policy, the items and the actor, never on the
 * order of maps in files or of files in folders. {@link #perform} is serialized per engine.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class PolicyEngine {
  private final Path projectRoot;
  private final Policy policy;
  private final WorkItemStore store;
  private final GateRegistry gates;
  private final Clock clock;

  private PolicyEngine(
      Path projectRoot, Policy policy, WorkItemStore store, GateRegistry gates, Clock clock) {
    this.projectRoot = projectRoot;
    this.policy = policy;
    this.store = store;
    this.gates = gates;
    this.clock = clock;
  }

  /**
   * The engine for the project at {@code projectRoot}: its {@code .tollgate/policy.yml}, its {@code
   * work-items/*.yml}, the built-in gates and any custom gates on the class path.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when the policy or a work item is invalid
   *     or refers to an undeclared lane or epic
   */
  public static PolicyEngine load(Path projectRoot) {
    return load(projectRoot, Clock.systemUTC());
  }

  /** {@link #load(Path)} reading time from {@code clock}. */
  public static PolicyEngine load(Path projectRoot, Clock clock) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    GateRegistry gates =
        BuiltInGates.registry(loader != null ? loader : PolicyEngine.class.getClassLoader());
    Policy policy = PolicyLoader.load(projectRoot, gates);
    return of(projectRoot, policy, FileWorkItemStore.open(projectRoot), gates, clock);
  }

  /**
   * An engine over the given parts, checking that every item's lane and epic is declared.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when an item names an undeclared lane or
   *     epic, or an action names a gate {@code gates} does not have
   */
  public static PolicyEngine of(
      Path projectRoot, Policy policy, WorkItemStore store, GateRegistry gates, Clock clock) {
    Objects.requireNonNull(projectRoot, "projectRoot");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(gates, "gates");
    Objects.requireNonNull(clock, "clock");
    List<Diagnostic> errors = new ArrayList<>();
    for (ActionDefinition a : policy.actions()) {
      for (String g : a.effectiveGates()) {
        if (gates.find(g).isEmpty()) {
          errors.add(
              Diagnostic.of(
                  Severity.ERROR,
                  ConfigDocument.RULE_ID,
                  "action " + a.id() + " needs the gate '" + g + "', which is not installed",
                  Location.ofFile(policy.file()),
                  "Installed gates: " + String.join(", ", gates.ids()) + "."));
        }
      }
    }
    for (WorkItem item : store.list()) {
      if (policy.lane(item.lane()).isEmpty()) {
        errors.add(unknown(store, item, "lane", item.lane(), policy.laneIds(), policy.file()));
      }
      if (item.epic().isPresent() && policy.epic(item.epic().get()).isEmpty()) {
        errors.add(
            unknown(
                store, item, "epic", item.epic().get(), policy.epics().keySet(), policy.file()));
      }
    }
    if (!errors.isEmpty()) {
      throw YamlConfig.invalid(FileWorkItemStore.DIRECTORY, errors);
    }
    return new PolicyEngine(projectRoot, policy, store, gates, clock);
  }

  private static Diagnostic unknown(
      WorkItemStore store,
      WorkItem item,
      String field,
      String value,
      java.util.Collection<String> declared,
      String policyFile) {
    String message =
        field
            + " names the "
            + field
            + " '"
            + value
            + "', which "
            + policyFile
            + " does not declare";
    String suggestion = DidYouMean.suggest(value, declared).orElse(null);
    if (suggestion != null) {
      message += "; did you mean `" + suggestion + "`?";
    }
    Location at =
        store
            .locate(item.id(), field)
            .orElse(Location.ofFile(FileWorkItemStore.DIRECTORY + "/" + item.id() + ".yml"));
    return Diagnostic.of(
        Severity.ERROR,
        ConfigDocument.RULE_ID,
        message,
        at,
        declared.isEmpty()
            ? "Declare it under " + field + "s in " + policyFile + "."
            : "Declared " + field + "s: " + String.join(", ", declared) + ".");
  }

  /** The project root the policy and items were read from. */
  public Path projectRoot() {
    return projectRoot;
  }

  /** The policy. */
  public Policy policy() {
    return policy;
  }

  /** The store the items are read from and written to. */
  public WorkItemStore store() {
    return store;
  }

  /** The gates the policy may name. */
  public GateRegistry gates() {
    return gates;
  }

  /**
   * The item {@code id}.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when there is none, suggesting the closest
   *     id
   */
  public WorkItem item(String id) {
    return store
        .find(id)
        .orElseThrow(
            () -> notFound("work item", id, store.list().stream().map(WorkItem::id).toList()));
  }

  private static TollgateException notFound(String kind, String id, List<String> known) {
    String message = "no " + kind + " '" + id + "'";
    Optional<String> suggestion = DidYouMean.suggest(id, known);
    if (suggestion.isPresent()) {
      message += "; did you mean `" + suggestion.get() + "`?";
    }
    return TollgateException.badInput(message);
  }

  /**
   * Every action of the catalog as offered for item {@code itemId} to {@code actor} (which may be
   * {@code null} when unknown), in catalog order.
   */
  public List<ActionView> actions(String itemId, String actor) {
    WorkItem item = item(itemId);
    Backlog backlog = store.backlog();
    return policy.actions().stream().map(a -> view(item, a, backlog, actor, clock)).toList();
  }

  /** One action as offered for item {@code itemId} to {@code actor}. */
  public ActionView evaluate(String itemId, String actionId, String actor) {
    return view(item(itemId), action(actionId), store.backlog(), actor, clock);
  }

  private ActionDefinition action(String actionId) {
    return policy
        .action(actionId)
        .orElseThrow(
            () ->
                notFound(
                    "action",
                    actionId,
                    policy.actions().stream().map(ActionDefinition::id).toList()));
  }

  /**
   * Performs action {@code actionId} on item {@code itemId} as {@code actor} when every gate
   * passes: moves the item (if the action moves it), sets its status and state, appends a history
   * entry stamped by {@code clock}, and saves it atomically. When a gate blocks, nothing is
   * written.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} for an unknown item or action, or {@code
   *     COULD_NOT_FINISH} when the item cannot be saved or changed since it was read (it is then
   *     unchanged)
   */
  public synchronized ActionOutcome perform(
      String itemId, String actionId, String actor, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    WorkItem item = item(itemId);
    ActionDefinition action = action(actionId);
    ActionView view = view(item, action, store.backlog(), actor, clock);
    if (!view.enabled()) {
      return new ActionOutcome.Blocked(view, item);
    }
    String who = actor == null || actor.isBlank() ? "unknown" : actor;
    WorkItem after;
    HistoryEntry entry;
    if (action.to().isPresent()) {
      String to = action.to().get();
      Lane lane = policy.lane(to).orElseThrow();
      WorkItemStatus status = action.status().or(lane::entryStatus).orElse(item.status());
      entry = HistoryEntry.move(clock.instant(), who, action.id(), item.lane(), to);
      after = item.moved(to, status, action.state(), entry);
    } else {
      entry = HistoryEntry.note(clock.instant(), who, action.id(), null);
      WorkItem.Builder b = item.toBuilder().addHistory(entry);
      action.status().ifPresent(b::status);
      action.state().ifPresent(b::state);
      after = b.build();
    }
    // Compare and set: a write made since the item was read (another engine or service sharing
    // the store) is not silently overwritten.
    store.replace(item, after);
    return new ActionOutcome.Performed(view, item, after, entry);
  }

  private ActionView view(
      WorkItem item, ActionDefinition a, Backlog backlog, String actor, Clock clock) {
    List<Gate> list = a.effectiveGates().stream().map(id -> gates.find(id).orElseThrow()).toList();
    Context context =
        new Context(
            projectRoot,
            Optional.ofNullable(actor).filter(s -> !s.isBlank()),
            clock,
            new ActionFacts(policy, a, item, backlog));
    return new ActionView(
        a.id(),
        a.title(),
        a.permission(),
        a.to().map(to -> item.lane() + " → " + to),
        Verdict.evaluate(list, context));
  }

  /** The gate context of one action evaluation. */
  private record Context(Path projectRoot, Optional<String> actor, Clock clock, ActionFacts action)
      implements GateContext {
    @Override
    public <T> Optional<T> facts(Class<T> type) {
      return type.isInstance(action) ? Optional.of(type.cast(action)) : Optional.empty();
    }
  }
}
