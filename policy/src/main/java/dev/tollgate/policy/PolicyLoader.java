package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.config.ConfigDocument;
import dev.tollgate.core.config.ConfigSchema;
import dev.tollgate.core.config.DidYouMean;
import dev.tollgate.core.config.YamlConfig;
import dev.tollgate.core.gate.GateRegistry;
import dev.tollgate.core.workitem.Epic;
import dev.tollgate.core.workitem.WorkItemStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * The reader of {@code .tollgate/policy.yml}: checks it against {@code policy.schema.json}, then
 * checks every cross-reference (lanes, epics, teams, permissions, gate ids), and builds a {@link
 * Policy}. Every problem is reported with {@code file:line:column}; names that are close to a
 * declared one get "did you mean".
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class PolicyLoader {
  /** Where the file lives, relative to the project root. */
  public static final String DEFAULT_PATH = ".tollgate/policy.yml";

  private static final ConfigSchema SCHEMA =
      ConfigSchema.fromResource(PolicyLoader.class, "policy.schema.json");

  /** The built-in actions in catalog order; a policy may override any of their fields. */
  static final List<ActionDefinition> BUILT_IN_ACTIONS =
      List.of(
          builtIn(
              "start-execution",
              "Start execution",
              "factory.work-item.execute",
              List.of(
                  BuiltInGates.LANE_ELIGIBILITY,
                  BuiltInGates.LANE_TRANSITION,
                  BuiltInGates.WIP_LIMIT,
                  BuiltInGates.PERMISSION,
                  BuiltInGates.CONTEXT_VISIBILITY),
              "in-progress",
              WorkItemStatus.IN_PROGRESS),
          builtIn(
              "request-review",
              "Request review",
              "factory.work-item.review",
              List.of(
                  BuiltInGates.LANE_ELIGIBILITY,
                  BuiltInGates.LANE_TRANSITION,
                  BuiltInGates.WIP_LIMIT,
                  BuiltInGates.PERMISSION,
                  BuiltInGates.PULL_REQUEST),
              "review",
              null),
          builtIn(
              "prepare-release",
              "Prepare release",
              "factory.work-item.release",
              List.of(
                  BuiltInGates.LANE_ELIGIBILITY,
                  BuiltInGates.LANE_TRANSITION,
                  BuiltInGates.WIP_LIMIT,
                  BuiltInGates.PERMISSION,
                  BuiltInGates.PULL_REQUEST),
              "release",
              null),
          builtIn(
              "record-history",
              "Record history",
              "factory.work-item.record-history",
              List.of(BuiltInGates.PERMISSION),
              null,
              null));

  private PolicyLoader() {}

  private static ActionDefinition builtIn(
      String id,
      String title,
      String permission,
      List<String> gates,
      String to,
      WorkItemStatus status) {
    return new ActionDefinition(
        id,
        title,
        Optional.empty(),
        Optional.of(permission),
        gates,
        List.of(),
        Optional.ofNullable(to),
        Optional.ofNullable(status),
        Optional.empty(),
        true);
  }

  /**
   * The policy of the project at {@code projectRoot}, whose gates must all be in {@code gates}.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when the file is missing or invalid
   */
  public static Policy load(Path projectRoot, GateRegistry gates) {
    Objects.requireNonNull(projectRoot, "projectRoot");
    return toPolicy(
        YamlConfig.load(projectRoot.resolve(DEFAULT_PATH), DEFAULT_PATH, SCHEMA), gates);
  }

  /** The policy in {@code text}; for tests and policies that do not live in a file. */
  public static Policy parse(String text, String displayPath, GateRegistry gates) {
    return toPolicy(YamlConfig.parse(text, displayPath, SCHEMA), gates);
  }

  private static Policy toPolicy(ConfigDocument doc, GateRegistry gates) {
    Objects.requireNonNull(gates, "gates");
    JsonNode root = doc.root();
    List<Diagnostic> errors = new ArrayList<>();

    List<Lane> lanes = new ArrayList<>();
    root.path("lanes")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode l = e.getValue();
              lanes.add(
                  new Lane(
                      e.getKey(),
                      l.hasNonNull("title")
                          ? l.get("title").asText()
                          : Lane.defaultTitle(e.getKey()),
                      l.has("wip_limit")
                          ? OptionalInt.of(l.get("wip_limit").asInt())
                          : OptionalInt.empty(),
                      l.path("terminal").asBoolean(false),
                      l.has("status")
                          ? WorkItemStatus.parse(l.get("status").asText())
                          : Optional.empty()));
            });
    List<String> laneIds = lanes.stream().map(Lane::id).toList();
    Set<String> terminal = new LinkedHashSet<>();
    lanes.stream().filter(Lane::terminal).forEach(l -> terminal.add(l.id()));

    Map<String, Set<String>> transitions = new TreeMap<>();
    root.path("transitions")
        .fields()
        .forEachRemaining(
            e -> {
              String from = e.getKey();
              String pointer = ConfigDocument.child("/transitions", from);
              boolean ok = known(from, laneIds, "lane", pointer, true, doc, errors);
              if (ok && terminal.contains(from) && !e.getValue().isEmpty()) {
                errors.add(
                    doc.keyError(
                        pointer,
                        "transitions."
                            + from
                            + " moves items out of the terminal lane "
                            + from
                            + ", but items in a terminal lane stay closed",
                        "Remove transitions." + from + ", or make the lane not terminal."));
              }
              Set<String> targets = new LinkedHashSet<>();
              for (int i = 0; i < e.getValue().size(); i++) {
                String to = e.getValue().get(i).asText();
                if (known(
                    to, laneIds, "lane", ConfigDocument.child(pointer, i), false, doc, errors)) {
                  targets.add(to);
                }
              }
              transitions.put(from, targets);
            });

    Map<String, Epic> epics = new TreeMap<>();
    root.path("epics")
        .fields()
        .forEachRemaining(
            e -> epics.put(e.getKey(), new Epic(e.getKey(), e.getValue().get("title").asText())));

    Map<String, Set<String>> teams = new TreeMap<>();
    root.path("teams").fields().forEachRemaining(e -> teams.put(e.getKey(), strings(e.getValue())));

    Map<String, Grant> permissions = new TreeMap<>();
    root.path("permissions")
        .fields()
        .forEachRemaining(
            e -> {
              String pointer = ConfigDocument.child("/permissions", e.getKey());
              JsonNode teamList = e.getValue().path("teams");
              for (int i = 0; i < teamList.size(); i++) {
                known(
                    teamList.get(i).asText(),
                    teams.keySet(),
                    "team",
                    ConfigDocument.child(ConfigDocument.child(pointer, "teams"), i),
                    false,
                    doc,
                    errors);
              }
              permissions.put(
                  e.getKey(), new Grant(strings(e.getValue().path("users")), strings(teamList)));
            });

    Map<String, ActionDefinition> actions = new LinkedHashMap<>();
    BUILT_IN_ACTIONS.forEach(a -> actions.put(a.id(), a));
    Map<String, ActionDefinition> custom = new TreeMap<>();
    root.path("actions")
        .fields()
        .forEachRemaining(
            e -> {
              ActionDefinition a =
                  action(
                      e.getKey(),
                      e.getValue(),
                      actions.get(e.getKey()),
                      doc,
                      laneIds,
                      terminal,
                      permissions.keySet(),
                      gates,
                      errors);
              if (actions.containsKey(a.id())) {
                actions.put(a.id(), a);
              } else {
                custom.put(a.id(), a);
              }
            });
    actions.putAll(custom);

    if (!errors.isEmpty()) {
      throw YamlConfig.invalid(doc.file(), errors);
    }
    return new Policy(
        doc.file(), lanes, transitions, epics, teams, permissions, List.copyOf(actions.values()));
  }

  private static ActionDefinition action(
      String id,
      JsonNode a,
      ActionDefinition base,
      ConfigDocument doc,
      List<String> laneIds,
      Set<String> terminal,
      Set<String> permissionNames,
      GateRegistry gates,
      List<Diagnostic> errors) {
    String pointer = ConfigDocument.child("/actions", id);
    String title =
        a.hasNonNull("title")
            ? a.get("title").asText()
            : base != null ? base.title() : Lane.defaultTitle(id);
    Optional<String> description =
        a.has("description")
            ? Optional.of(a.get("description").asText())
            : base != null ? base.description() : Optional.empty();
    Optional<String> permission = base != null ? base.permission() : Optional.empty();
    if (a.has("permission")) {
      String p = a.get("permission").asText();
      known(
          p,
          permissionNames,
          "permission",
          ConfigDocument.child(pointer, "permission"),
          false,
          doc,
          errors);
      permission = Optional.of(p);
    }
    List<String> gateIds = base != null ? base.gates() : List.of();
    if (a.has("gates")) {
      gateIds = new ArrayList<>();
      JsonNode list = a.get("gates");
      for (int i = 0; i < list.size(); i++) {
        String g = list.get(i).asText();
        String gp = ConfigDocument.child(ConfigDocument.child(pointer, "gates"), i);
        if (gates.find(g).isEmpty()) {
          String message =
              "actions."
                  + id
                  + ".gates["
                  + i
                  + "] names the gate '"
                  + g
                  + "', which is not installed";
          String suggestion = DidYouMean.suggest(g, gates.ids()).orElse(null);
          if (suggestion != null) {
            message += "; did you mean `" + suggestion + "`?";
          }
          errors.add(
              doc.error(
                  gp,
                  message,
                  "Installed gates: "
                      + String.join(", ", gates.ids())
                      + ". Custom gates are listed in META-INF/services/dev.tollgate.core.gate.Gate."));
        }
        gateIds.add(g);
      }
    }
    List<String> from = base != null ? base.from() : List.of();
    if (a.has("from")) {
      from = new ArrayList<>();
      JsonNode list = a.get("from");
      for (int i = 0; i < list.size(); i++) {
        String lane = list.get(i).asText();
        from.add(lane);
        known(
            lane,
            laneIds,
            "lane",
            ConfigDocument.child(ConfigDocument.child(pointer, "from"), i),
            false,
            doc,
            errors);
      }
    }
    Optional<String> to = base != null ? base.to() : Optional.empty();
    if (a.has("to")) {
      String lane = a.get("to").asText();
      known(lane, laneIds, "lane", ConfigDocument.child(pointer, "to"), false, doc, errors);
      to = Optional.of(lane);
    }
    if (to.isPresent() && a.has("from")) {
      for (int i = 0; i < from.size(); i++) {
        if (terminal.contains(from.get(i))) {
          errors.add(
              doc.error(
                  ConfigDocument.child(ConfigDocument.child(pointer, "from"), i),
                  "actions."
                      + id
                      + ".from lists the terminal lane "
                      + from.get(i)
                      + ", but items in a terminal lane stay closed and "
                      + id
                      + " moves items",
                  "Remove " + from.get(i) + " from actions." + id + ".from."));
        }
      }
    }
    Optional<WorkItemStatus> status =
        a.has("status")
            ? WorkItemStatus.parse(a.get("status").asText())
            : base != null ? base.status() : Optional.empty();
    Optional<String> state =
        a.has("state")
            ? Optional.of(a.get("state").asText())
            : base != null ? base.state() : Optional.empty();
    return new ActionDefinition(
        id, title, description, permission, gateIds, from, to, status, state, base != null);
  }

  /**
   * Whether {@code name} is one of {@code declared}; if not, records an error at the value (or at
   * the key, when {@code atKey}) naming what is declared and the closest match.
   */
  private static boolean known(
      String name,
      Collection<String> declared,
      String kind,
      String pointer,
      boolean atKey,
      ConfigDocument doc,
      List<Diagnostic> errors) {
    if (declared.contains(name)) {
      return true;
    }
    String where = doc.displayPath(pointer);
    String message =
        where
            + " names"
            + " the "
            + kind
            + " '"
            + name
            + "', which is not declared under "
            + kind
            + "s";
    String suggestion = DidYouMean.suggest(name, declared).orElse(null);
    if (suggestion != null) {
      message += "; did you mean `" + suggestion + "`?";
    }
    String hint =
        declared.isEmpty()
            ? "No " + kind + "s are declared."
            : "Declared " + kind + "s: " + String.join(", ", declared) + ".";
    errors.add(atKey ? doc.keyError(pointer, message, hint) : doc.error(pointer, message, hint));
    return false;
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new LinkedHashSet<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }
}
