package dev.tollgate.cli.items;

import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.core.workitem.Blocker;
import dev.tollgate.core.workitem.Freshness;
import dev.tollgate.core.workitem.HistoryEntry;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.policy.ActionView;
import dev.tollgate.policy.ItemDetail;
import dev.tollgate.policy.WorkItemService;
import java.io.PrintWriter;
import java.time.Duration;
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
 * queue truth (freshness verdict and drift), prompt context and the actions it offers — as {@link
 * WorkItemService#detail} builds it, printed as text or as the library's JSON.
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
public final class ItemsShowCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "ID", description = "The work item's id, e.g. wi-SF-101.")
  String id;

  @Option(
      names = "--actor",
      paramLabel = "NAME",
      description = "Whose permissions the available actions are evaluated for.")
  String actor;

  @Option(
      names = "--stale-after",
      paramLabel = "DURATION",
      defaultValue = "7d",
      description =
          "Age beyond which the item's data counts as stale, e.g. 7d, 36h, 90m"
              + " (default: ${DEFAULT-VALUE}).")
  String staleAfter;

  @Mixin BoardOptions options;

  @Override
  public Integer call() {
    boolean json = options.json();
    Duration threshold = options.staleAfter(staleAfter);
    WorkItemService service =
        WorkItemService.builder(options.engine(options.clock()), options.clock())
            .staleAfter(threshold)
            .build();
    ItemDetail detail = service.detail(id, actor);
    detail = detail.withFile(options.prefix() + detail.file());
    PrintWriter out = options.out();
    out.print(json ? ItemsJson.write(detail.toJson()) : text(detail));
    out.flush();
    return ExitCode.OK;
  }

  private String text(ItemDetail detail) {
    WorkItem item = detail.item();
    StringBuilder out = new StringBuilder();
    out.append(item.id()).append("  ").append(item.title()).append('\n');
    List<String> facts = new ArrayList<>();
    item.epic()
        .ifPresent(
            e ->
                facts.add("epic " + e + detail.epic().map(x -> " (" + x.title() + ")").orElse("")));
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
    field(out, "lane", item.lane() + " (" + detail.laneTitle() + ")");
    field(out, "status", item.status().label());
    field(out, "state", ItemsText.or(item.state()));
    field(out, "work type", ItemsText.or(item.workType()));
    field(out, "source", ItemsText.or(item.source()));
    field(out, "done criteria", Integer.toString(item.doneCriteriaCount()));
    for (String c : item.doneCriteria()) {
      out.append("    - ").append(c).append('\n');
    }
    List<Blocker> blockers = detail.blockers();
    if (blockers.isEmpty()) {
      field(out, "blockers", "none");
    } else {
      field(out, "blockers", Integer.toString(blockers.size()));
      for (Blocker b : blockers) {
        out.append("    - ").append(b.describe()).append('\n');
      }
    }

    out.append("\nQueue truth\n");
    Optional<Freshness> freshness = detail.queueTruth().freshness();
    if (freshness.isPresent()) {
      Freshness f = freshness.get();
      field(
          out,
          "snapshot",
          detail.file() + ", changed " + f.snapshotAt() + " (" + f.ageText() + " ago)");
      field(out, "freshness", f.verdict().label() + ": " + f.reason());
    } else {
      field(out, "snapshot", detail.file());
      field(out, "freshness", "unknown: nothing says when the item was last written");
    }
    List<ItemDetail.Drift> drift = detail.queueTruth().drift();
    if (drift.isEmpty()) {
      field(out, "drift", "none: the item's signals agree");
    } else {
      field(out, "drift", drift.size() + " signal(s) disagree");
      for (ItemDetail.Drift d : drift) {
        out.append("    - ").append(d.signal()).append(": ").append(d.detail()).append('\n');
        out.append("      reconcile: ").append(d.guidance()).append('\n');
      }
    }

    out.append("\nPrompt context\n");
    ItemDetail.PromptContext p = detail.prompt();
    String state =
        switch (p.access()) {
          case OUTSIDE_PROJECT -> "outside the project, not read";
          case MISSING -> "missing";
          case UNREADABLE -> "cannot be read";
          case READABLE ->
              p.size().map(s -> s + " bytes").orElse("readable")
                  + p.firstHeading().map(h -> ", \"" + h + "\"").orElse(", no heading");
        };
    field(out, "file", options.prefix() + p.path() + " (" + state + ")");

    out.append("\nActions").append(detail.actor().map(a -> " for " + a).orElse("")).append('\n');
    for (ActionView v : detail.actions()) {
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
