package dev.tollgate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.workitem.Backlog;
import dev.tollgate.core.workitem.Blocker;
import dev.tollgate.core.workitem.Epic;
import dev.tollgate.core.workitem.HistoryEntry;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.policy.ActionView;
import dev.tollgate.policy.Lane;
import dev.tollgate.policy.PolicyEngine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tollgate items show ID}: one work item in detail — execution context, lifecycle metadata,
 * queue truth (snapshot freshness and drift), prompt context and the actions it offers.
 */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Show one work item: execution context, lifecycle, queue truth (freshness and drift),"
          + " prompt context and available actions.",
      "Exit codes: 0 shown, 2 bad input (e.g. an unknown ID), 3 could not finish."
    })
final class ItemsShowCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "ID", description = "The work item's id, e.g. wi-SF-101.")
  String id;

  @Option(
      names = "--actor",
      paramLabel = "NAME",
      description = "Whose permissions the available actions are evaluated for.")
  String actor;

  @Mixin BoardOptions options;

  @Override
  public Integer call() {
    boolean json = options.json();
    Path root = options.root();
    PolicyEngine engine = options.engine(ItemsCommand.clock);
    WorkItem item = engine.item(id);
    Backlog backlog = engine.store().backlog();
    ItemDetail detail = ItemDetail.of(engine, root, item, ItemsCommand.clock.instant());
    List<ActionView> actions = engine.actions(id, actor);
    PrintWriter out = options.out();
    out.print(
        json
            ? ItemsJson.write(json(engine, item, backlog, detail, actions))
            : text(engine, item, backlog, detail, actions));
    out.flush();
    return ExitCode.OK;
  }

  private ObjectNode json(
      PolicyEngine engine,
      WorkItem item,
      Backlog backlog,
      ItemDetail detail,
      List<ActionView> actions) {
    ObjectNode o = ItemsJson.object();
    o.put("id", item.id());
    o.put("title", item.title());
    ItemsJson.put(o, "description", item.description());
    Optional<Epic> epic = item.epic().flatMap(engine.policy()::epic);
    if (epic.isPresent()) {
      ObjectNode e = o.putObject("epic");
      e.put("id", epic.get().id());
      e.put("title", epic.get().title());
    } else {
      o.putNull("epic");
    }
    ItemsJson.put(o, "priority", item.priority());
    ItemsJson.put(o, "owner", item.owner());
    ItemsJson.put(o, "due", item.due().map(Object::toString));
    o.put("file", options.prefix() + detail.file());

    ObjectNode execution = o.putObject("execution");
    execution.put("id", item.id());
    ItemsJson.put(execution, "branch", item.branch());
    ItemsJson.put(execution, "validation", item.validation());
    ItemsJson.put(execution, "pr", item.pr());

    ObjectNode lifecycle = o.putObject("lifecycle");
    lifecycle.put("lane", item.lane());
    lifecycle.put("laneTitle", laneTitle(engine, item));
    ItemsJson.put(lifecycle, "workType", item.workType());
    ItemsJson.put(lifecycle, "source", item.source());
    lifecycle.put("status", item.status().label());
    ItemsJson.put(lifecycle, "state", item.state());
    lifecycle.put("doneCriteriaCount", item.doneCriteriaCount());
    ArrayNode criteria = lifecycle.putArray("doneCriteria");
    item.doneCriteria().forEach(criteria::add);

    List<Blocker> blockers = backlog.blockers(item);
    o.put("blocked", blockers.stream().anyMatch(Blocker::blocking));
    o.set("blockers", ItemsJson.blockers(blockers));

    ObjectNode truth = o.putObject("queueTruth");
    if (detail.freshness().isPresent()) {
      ItemDetail.Freshness f = detail.freshness().get();
      ObjectNode fresh = truth.putObject("freshness");
      fresh.put("snapshotAt", f.snapshotAt().toString());
      fresh.put("observedAt", f.observedAt().toString());
      fresh.put("ageSeconds", f.age().getSeconds());
      fresh.put("age", f.ageText());
    } else {
      truth.putNull("freshness");
    }
    truth.put("inSync", detail.drift().isEmpty());
    ArrayNode drift = truth.putArray("drift");
    for (ItemDetail.Drift d : detail.drift()) {
      ObjectNode n = drift.addObject();
      n.put("signal", d.signal());
      n.put("detail", d.detail());
      n.put("guidance", d.guidance());
    }

    ItemDetail.PromptContext p = detail.prompt();
    ObjectNode prompt = o.putObject("prompt");
    prompt.put("path", p.path());
    prompt.put("insideProject", p.insideProject());
    prompt.put("exists", p.exists());
    prompt.put("readable", p.readable());
    if (p.size().isPresent()) {
      prompt.put("sizeBytes", p.size().get());
    } else {
      prompt.putNull("sizeBytes");
    }
    ItemsJson.put(prompt, "firstHeading", p.firstHeading());

    ItemsJson.put(o, "actor", Optional.ofNullable(actor).filter(a -> !a.isBlank()));
    ArrayNode a = o.putArray("actions");
    actions.forEach(v -> a.add(ItemsJson.action(v)));
    ArrayNode history = o.putArray("history");
    item.history().forEach(h -> history.add(ItemsJson.history(h)));
    return o;
  }

  private static String laneTitle(PolicyEngine engine, WorkItem item) {
    return engine.policy().lane(item.lane()).map(Lane::title).orElse(item.lane());
  }

  private String text(
      PolicyEngine engine,
      WorkItem item,
      Backlog backlog,
      ItemDetail detail,
      List<ActionView> actions) {
    StringBuilder out = new StringBuilder();
    out.append(item.id()).append("  ").append(item.title()).append('\n');
    List<String> facts = new ArrayList<>();
    item.epic()
        .ifPresent(
            e ->
                facts.add(
                    "epic "
                        + e
                        + engine.policy().epic(e).map(x -> " (" + x.title() + ")").orElse("")));
    item.owner().ifPresent(v -> facts.add("owner " + v));
    item.priority().ifPresent(v -> facts.add("priority " + v));
    item.due().ifPresent(v -> facts.add("due " + v));
    if (!facts.isEmpty()) {
      out.append(String.join(" · ", facts)).append('\n');
    }
    item.description().ifPresent(d -> out.append('\n').append(d.strip()).append('\n'));

    out.append("\nExecution\n");
    field(out, "branch", ItemsText.or(item.branch()));
    field(out, "validation", ItemsText.or(item.validation()));
    field(out, "pr", ItemsText.or(item.pr()));

    out.append("\nLifecycle\n");
    field(out, "lane", item.lane() + " (" + laneTitle(engine, item) + ")");
    field(out, "status", item.status().label());
    field(out, "state", ItemsText.or(item.state()));
    field(out, "work type", ItemsText.or(item.workType()));
    field(out, "source", ItemsText.or(item.source()));
    field(out, "done criteria", Integer.toString(item.doneCriteriaCount()));
    for (String c : item.doneCriteria()) {
      out.append("    - ").append(c).append('\n');
    }
    List<Blocker> blockers = backlog.blockers(item);
    if (blockers.isEmpty()) {
      field(out, "blockers", "none");
    } else {
      field(out, "blockers", Integer.toString(blockers.size()));
      for (Blocker b : blockers) {
        out.append("    - ").append(b.describe()).append('\n');
      }
    }

    out.append("\nQueue truth\n");
    String file = options.prefix() + detail.file();
    if (detail.freshness().isPresent()) {
      ItemDetail.Freshness f = detail.freshness().get();
      field(out, "snapshot", file + ", changed " + f.snapshotAt() + " (" + f.ageText() + " ago)");
    } else {
      field(out, "snapshot", file);
    }
    if (detail.drift().isEmpty()) {
      field(out, "drift", "none: the item's signals agree");
    } else {
      field(out, "drift", detail.drift().size() + " signal(s) disagree");
      for (ItemDetail.Drift d : detail.drift()) {
        out.append("    - ").append(d.signal()).append(": ").append(d.detail()).append('\n');
        out.append("      reconcile: ").append(d.guidance()).append('\n');
      }
    }

    out.append("\nPrompt context\n");
    ItemDetail.PromptContext p = detail.prompt();
    String state;
    if (!p.insideProject()) {
      state = "outside the project, not read";
    } else if (!p.exists()) {
      state = "missing";
    } else if (!p.readable()) {
      state = "cannot be read";
    } else {
      state =
          p.size().map(s -> s + " bytes").orElse("readable")
              + p.firstHeading().map(h -> ", \"" + h + "\"").orElse(", no heading");
    }
    field(out, "file", options.prefix() + p.path() + " (" + state + ")");

    out.append("\nActions")
        .append(actor == null || actor.isBlank() ? "" : " for " + actor)
        .append('\n');
    for (ActionView v : actions) {
      out.append("  ").append(ItemsText.headline(v));
      if (!v.enabled()) {
        v.verdict().failures().stream()
            .findFirst()
            .ifPresent(r -> out.append(": ").append(r.gate()).append(": ").append(r.reason()));
      }
      out.append('\n');
    }

    if (!item.history().isEmpty()) {
      out.append("\nHistory\n");
      for (HistoryEntry h : item.history()) {
        out.append("  ").append(h.at()).append("  ").append(h.actor()).append("  ");
        out.append(h.action());
        h.from().ifPresent(f -> out.append("  ").append(f).append(" → ").append(h.to().get()));
        h.note().ifPresent(n -> out.append("  ").append(n));
        out.append('\n');
      }
    }
    return out.toString();
  }

  private static void field(StringBuilder out, String name, String value) {
    out.append("  ").append(name).append(" ".repeat(Math.max(1, 15 - name.length())));
    out.append(value).append('\n');
  }
}
