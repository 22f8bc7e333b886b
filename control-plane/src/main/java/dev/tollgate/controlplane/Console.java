package dev.tollgate.controlplane;

import dev.tollgate.controlplane.internal.pages.ActionCard;
import dev.tollgate.controlplane.internal.pages.ArtifactPage;
import dev.tollgate.controlplane.internal.pages.BoardPage;
import dev.tollgate.controlplane.internal.pages.Card;
import dev.tollgate.controlplane.internal.pages.Column;
import dev.tollgate.controlplane.internal.pages.Field;
import dev.tollgate.controlplane.internal.pages.Frame;
import dev.tollgate.controlplane.internal.pages.ItemPage;
import dev.tollgate.controlplane.internal.pages.MessagePage;
import dev.tollgate.controlplane.internal.pages.RunPage;
import dev.tollgate.controlplane.internal.pages.RunRow;
import dev.tollgate.controlplane.internal.pages.RunboardPage;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.core.runs.Artifact;
import dev.tollgate.core.runs.CancelResult;
import dev.tollgate.core.runs.QueueStats;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunEvent;
import dev.tollgate.core.runs.RunFilter;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.RunStatus;
import dev.tollgate.core.runs.RunStep;
import dev.tollgate.core.workitem.Backlog;
import dev.tollgate.core.workitem.Blocker;
import dev.tollgate.core.workitem.Freshness;
import dev.tollgate.core.workitem.WorkItem;
import dev.tollgate.policy.ActionOutcome;
import dev.tollgate.policy.ActionView;
import dev.tollgate.policy.ItemDetail;
import dev.tollgate.policy.Lane;
import dev.tollgate.policy.PolicyEngine;
import dev.tollgate.policy.WorkItemService;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The console's HTML pages: the board, a work item with its actions, the runboard and a run with
 * its log, rendered on the server from precompiled templates that escape every value. They read
 * without JavaScript; actions are plain forms, checked like the API's state changes (same origin
 * and the session's token, sent as a form field).
 */
final class Console {
  private static final int PROMPT_LIMIT = 64 * 1024;
  private static final TemplateEngine TEMPLATES =
      TemplateEngine.createPrecompiled(
          null, ContentType.Html, null, "dev.tollgate.controlplane.internal.templates");

  private final ControlPlane plane;
  private final OperationsPages operations;
  private final TemplatePages templates;
  private final SpecKitPages specKit;
  private final AuditPages audit;
  private final ItemForms itemForms;

  Console(ControlPlane plane) {
    this.plane = plane;
    this.operations = new OperationsPages(plane, this);
    this.templates = new TemplatePages(plane, this);
    this.specKit = new SpecKitPages(plane, this);
    this.audit = new AuditPages(plane, this);
    this.itemForms = new ItemForms(this);
  }

  /** The Spec Kit view, which the API shares. */
  SpecKitPages specKit() {
    return specKit;
  }

  /** Answers a page request (anything outside {@code /api/}). */
  void handle(HttpServletRequest req, HttpServletResponse resp, String path) throws IOException {
    String method = req.getMethod();
    if (path.equals("/assets/console.css") && (method.equals("GET") || method.equals("HEAD"))) {
      asset(resp, "console.css", "text/css;charset=utf-8");
      return;
    }
    if (path.equals("/assets/console.js") && (method.equals("GET") || method.equals("HEAD"))) {
      asset(resp, "console.js", "text/javascript;charset=utf-8");
      return;
    }
    boolean post = method.equals("POST");
    if (!post && !method.equals("GET") && !method.equals("HEAD")) {
      resp.setHeader("Allow", "GET, HEAD, POST");
      page(resp, 405, message(null, req, "Method not allowed", method + " is not used here.", ""));
      return;
    }
    Optional<Identity> identity = plane.authenticator().authenticate(req);
    if (identity.isEmpty()) {
      page(
          resp,
          401,
          message(
              null,
              req,
              "Sign in needed",
              "This console accepts no identity from this request.",
              "Open it through the service that hosts it, or on this machine at 127.0.0.1."));
      return;
    }
    ConsoleForm form = post ? ConsoleForm.of(segments(path), req.getParameter("do")) : null;
    boolean changes = form != null && form.changesState();
    Scope needed = changes ? Scope.ACT : Scope.READ;
    if (!identity.get().has(needed)) {
      String why =
          identity.get().name() + " lacks the scope '" + needed.wireName() + "' this needs.";
      page(
          resp,
          403,
          message(
              null,
              req,
              "Not allowed",
              why,
              "Ask for a token or role with the '" + needed.wireName() + "' scope."));
      if (changes) {
        plane.audit(identity.get().name(), form.action(), path, 403, why);
      }
      return;
    }
    String csrf = Csrf.ensureCookie(req, resp);
    Page page = new Page(req, resp, identity.get(), csrf);
    String refusal = null;
    try {
      if (post) {
        if (changes && plane.readOnly()) {
          throw ApiException.of(403, "api.read-only", "This console is read-only.", "");
        }
        Csrf.checkForm(req, csrf);
        postRoute(page, path);
      } else {
        getRoute(page, path);
      }
    } catch (ApiException e) {
      refusal = e.diagnostic().message();
      page(
          resp,
          e.status(),
          message(
              page,
              req,
              title(e.status()),
              e.diagnostic().message(),
              e.diagnostic().hint().orElse("")));
    } catch (TollgateException e) {
      refusal = e.getMessage();
      page(
          resp,
          e.kind() == TollgateException.Kind.BAD_INPUT ? 400 : 503,
          message(page, req, "Could not do that", e.getMessage(), "Nothing was changed."));
    } finally {
      if (changes) {
        plane.audit(page.identity().name(), form.action(), path, resp.getStatus(), refusal);
      }
    }
  }

  private static String title(int status) {
    return switch (status) {
      case 404 -> "Not found";
      case 403, 415 -> "Refused";
      case 409 -> "Changed meanwhile";
      default -> "Could not do that";
    };
  }

  private void getRoute(Page p, String path) throws IOException {
    List<String> s = segments(path);
    if (s.isEmpty()) {
      board(p);
    } else if (s.get(0).equals("operations")) {
      operations.get(p, s.subList(1, s.size()));
    } else if (s.get(0).equals("templates")) {
      templates.get(p, s.subList(1, s.size()));
    } else if (s.get(0).equals("spec-kit")) {
      specKit.get(p, s.subList(1, s.size()));
    } else if (s.size() == 1 && s.get(0).equals("audit")) {
      audit.get(p);
    } else if (s.size() == 2 && s.get(0).equals("items")) {
      item(p, s.get(1), notice(p), false, 200);
    } else if (s.size() == 1 && s.get(0).equals("epics")) {
      itemForms.epicsPage(p, items());
    } else if (s.size() == 1 && s.get(0).equals("runs")) {
      runboard(p);
    } else if (s.size() == 2 && s.get(0).equals("runs")) {
      run(p, id(s.get(1)), notice(p));
    } else if (s.size() == 3 && s.get(0).equals("runs") && s.get(2).equals("artifact")) {
      artifactPage(p, id(s.get(1)));
    } else if (s.size() == 3 && s.get(0).equals("runs") && s.get(2).equals("log.txt")) {
      logText(p, id(s.get(1)));
    } else if (s.size() == 3 && s.get(0).equals("runs") && s.get(2).equals("cancel")) {
      long id = id(s.get(1));
      page(
          p.resp,
          200,
          new MessagePage(
              frame(p, "Cancel run " + id, "runs"),
              "Cancel run " + id + "?",
              "A queued run never starts; a running one is stopped by its worker within one"
                  + " heartbeat. The reason is recorded with your name.",
              "",
              base(p.req) + "/runs/" + id + "/cancel",
              "Cancel run " + id,
              base(p.req) + "/runs/" + id));
    } else {
      throw ApiException.notFound("There is no page at " + path + ".");
    }
  }

  private void postRoute(Page p, String path) throws IOException {
    List<String> s = segments(path);
    if (!s.isEmpty() && s.get(0).equals("operations")) {
      operations.post(p, s.subList(1, s.size()));
    } else if (!s.isEmpty() && s.get(0).equals("templates")) {
      templates.post(p, s.subList(1, s.size()));
    } else if (!s.isEmpty() && s.get(0).equals("spec-kit")) {
      specKit.post(p, s.subList(1, s.size()));
    } else if (s.size() == 4 && s.get(0).equals("items") && s.get(2).equals("actions")) {
      perform(p, s.get(1), s.get(3));
    } else if (s.size() == 1 && s.get(0).equals("items")) {
      itemForms.create(p, items());
    } else if (s.size() == 3 && s.get(0).equals("items") && s.get(2).equals("fields")) {
      if (items().engine().store().find(s.get(1)).isEmpty()) {
        throw ApiException.notFound("There is no work item '" + s.get(1) + "'.");
      }
      itemForms.update(p, items(), s.get(1));
    } else if (s.size() == 3 && s.get(0).equals("runs") && s.get(2).equals("cancel")) {
      long id = id(s.get(1));
      String given = Optional.ofNullable(p.req.getParameter("reason")).orElse("").strip();
      if (given.length() > RunsApi.MAX_REASON) {
        throw ApiException.badRequest("The reason may have at most 500 characters.", "");
      }
      String reason = RunsApi.cancelReason(p.identity.name(), given);
      CancelResult result = queue().cancel(id, reason);
      if (result == CancelResult.NOT_FOUND) {
        throw ApiException.notFound("There is no run " + id + ".");
      }
      redirect(p, "/runs/" + id + "?done=" + result.name().toLowerCase(Locale.ROOT));
    } else if (s.size() == 3 && s.get(0).equals("runs") && s.get(2).equals("retry")) {
      Run retry = queue().retry(id(s.get(1)));
      redirect(p, "/runs/" + retry.id() + "?done=retried");
    } else {
      throw ApiException.notFound("There is no form at " + path + ".");
    }
  }

  static Optional<String> notice(Page p) {
    return Optional.ofNullable(p.req.getParameter("done"))
        .filter(d -> d.matches("[a-z0-9-]{1,64}"));
  }

  private WorkItemService items() {
    return plane
        .workItems()
        .orElseThrow(() -> ApiException.notFound("This console serves no work items."));
  }

  private RunQueue queue() {
    return plane.runs().orElseThrow(() -> ApiException.notFound("This console serves no runs."));
  }

  private void board(Page p) throws IOException {
    PolicyEngine engine = items().engine();
    Backlog backlog = engine.store().backlog();
    String q = Optional.ofNullable(p.req.getParameter("q")).orElse("").strip();
    java.util.function.Predicate<WorkItem> filter = ItemFilter.of(engine, ItemForms.params(p));
    List<Column> columns = new ArrayList<>();
    for (String laneId : engine.policy().laneIds()) {
      Lane lane = engine.policy().lane(laneId).orElseThrow();
      List<WorkItem> inLane = backlog.inLane(laneId);
      List<Card> cards = new ArrayList<>();
      for (WorkItem item : inLane) {
        if (!filter.test(item)) {
          continue;
        }
        cards.add(
            new Card(
                item.id(),
                base(p.req) + "/items/" + encode(item.id()),
                item.title(),
                item.owner().orElse(""),
                item.priority().isPresent() ? "P" + item.priority().getAsInt() : "",
                backlog.isBlocked(item),
                item.status().label()));
      }
      boolean over = lane.wipLimit().isPresent() && inLane.size() > lane.wipLimit().getAsInt();
      String wip =
          lane.wipLimit().isPresent()
              ? inLane.size() + "/" + lane.wipLimit().getAsInt()
              : String.valueOf(inLane.size());
      columns.add(new Column(lane.id(), lane.title(), wip, over, cards));
    }
    page(
        p.resp,
        200,
        new BoardPage(frame(p, "Board", "board"), columns, q, ItemForms.board(p, engine)));
  }

  private void item(Page p, String id, Optional<String> done, boolean blocked, int status)
      throws IOException {
    WorkItemService service = items();
    if (service.engine().store().find(id).isEmpty()) {
      throw ApiException.notFound("There is no work item '" + id + "'.");
    }
    ItemDetail detail = service.detail(id, p.identity.name());
    WorkItem item = detail.item();
    List<Field> fields = new ArrayList<>();
    fields.add(new Field("Lane", detail.laneTitle()));
    fields.add(new Field("Status", item.status().label()));
    fields.add(new Field("Owner", item.owner().orElse("")));
    fields.add(
        new Field("Priority", item.priority().isPresent() ? "P" + item.priority().getAsInt() : ""));
    fields.add(new Field("Due", item.due().map(Object::toString).orElse("")));
    fields.add(new Field("Epic", detail.epic().map(e -> e.id() + " · " + e.title()).orElse("")));
    fields.add(new Field("Branch", item.branch().orElse("")));
    fields.add(new Field("Pull request", item.pr().orElse("")));
    fields.add(new Field("File", detail.file()));
    String freshness = detail.queueTruth().freshness().map(Console::freshness).orElse("");
    List<Field> drift = new ArrayList<>();
    detail
        .queueTruth()
        .drift()
        .forEach(d -> drift.add(new Field(d.signal(), d.detail() + " → " + d.guidance())));
    List<String> blockers = detail.blockers().stream().map(Blocker::describe).toList();
    String base = base(p.req);
    List<ActionCard> actions = new ArrayList<>();
    for (ActionView view : detail.actions()) {
      actions.add(
          card(view, base + "/items/" + encode(id) + "/actions/" + encode(view.identity())));
    }
    String notice = "";
    if (done.isPresent()) {
      notice = blocked ? done.get() : "Done: " + done.get() + " by " + p.identity.name() + ".";
    }
    ItemDetail.PromptContext prompt = detail.prompt();
    page(
        p.resp,
        status,
        new ItemPage(
            frame(p, id, "board"),
            id,
            item.title(),
            fields,
            freshness,
            drift,
            blockers,
            prompt.path(),
            promptText(service.engine().projectRoot(), prompt),
            actions,
            notice,
            blocked,
            ItemForms.edit(p, service.engine(), item)));
  }

  private static String freshness(Freshness f) {
    return "Queue view "
        + f.verdict().name().toLowerCase(Locale.ROOT)
        + ": last change "
        + ago(f.age())
        + " ago ("
        + f.snapshot().basis().name().toLowerCase(Locale.ROOT).replace('_', ' ')
        + "), stale after "
        + ago(f.staleAfter())
        + ".";
  }

  private static String promptText(Path root, ItemDetail.PromptContext prompt) {
    return switch (prompt.access()) {
      case OUTSIDE_PROJECT -> "Not shown: the path leaves the project.";
      case MISSING -> "No prompt file: " + prompt.path() + " does not exist.";
      case UNREADABLE -> "The prompt file could not be read.";
      case READABLE -> readPrompt(root.resolve(prompt.path()));
    };
  }

  private static String readPrompt(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(PROMPT_LIMIT + 1);
      String text =
          new String(bytes, 0, Math.min(bytes.length, PROMPT_LIMIT), StandardCharsets.UTF_8);
      return bytes.length > PROMPT_LIMIT ? text + "\n… (cut at 64 KiB)" : text;
    } catch (IOException e) {
      return "The prompt file could not be read: " + e.getMessage();
    }
  }

  private static ActionCard card(ActionView view, String formAction) {
    List<ActionCard.GateRow> gates =
        view.gates().stream()
            .map(
                g ->
                    new ActionCard.GateRow(
                        g.gate(), g.status().name().toLowerCase(Locale.ROOT), g.reason()))
            .toList();
    Optional<Recovery> r = view.recovery();
    return new ActionCard(
        view.identity(),
        view.title(),
        view.transition().orElse(""),
        view.enabled(),
        gates,
        r.map(Recovery::cause).orElse(""),
        r.map(Recovery::policyContext).orElse(""),
        r.map(Recovery::nextStep).orElse(""),
        r.map(Recovery::safeRetry).orElse(""),
        formAction);
  }

  private void perform(Page p, String id, String action) throws IOException {
    WorkItemService service = items();
    PolicyEngine engine = service.engine();
    if (engine.store().find(id).isEmpty()) {
      throw ApiException.notFound("There is no work item '" + id + "'.");
    }
    if (engine.policy().action(action).isEmpty()) {
      throw ApiException.notFound("The policy has no action '" + action + "'.");
    }
    ActionOutcome outcome = engine.perform(id, action, p.identity.name(), plane.clock());
    if (outcome instanceof ActionOutcome.Performed) {
      redirect(p, "/items/" + encode(id) + "?done=" + encode(action));
      return;
    }
    ActionView view = outcome.view();
    String why =
        view.gates().stream()
            .filter(g -> !g.status().name().equals("PASS"))
            .findFirst()
            .map(g -> g.gate() + ": " + g.reason())
            .orElse("a gate did not pass");
    item(
        p,
        id,
        Optional.of(
            view.title()
                + " is blocked ("
                + why
                + "). "
                + view.recovery().map(Recovery::nextStep).orElse("")),
        true,
        422);
  }

  private void runboard(Page p) throws IOException {
    RunQueue queue = queue();
    QueueStats stats = queue.stats();
    String base = base(p.req);
    // A column for every lane with queued or running runs, and every lane a template names.
    java.util.SortedSet<String> laneNames = new java.util.TreeSet<>();
    stats.lanes().forEach(l -> laneNames.add(l.lane()));
    stats.running().forEach(r -> laneNames.add(r.lane()));
    if (plane.hasTemplates()) {
      try {
        plane.templates().orElseThrow().templates().forEach(t -> laneNames.add(t.lane()));
      } catch (TollgateException e) {
        // A broken template file shows on the Templates page; the runboard still answers.
      }
    }
    java.util.Map<String, Run> last = queue.lastFinished(laneNames);
    List<RunboardPage.LaneRow> lanes = new ArrayList<>();
    for (String name : laneNames) {
      Optional<QueueStats.LaneDepth> depth =
          stats.lanes().stream().filter(l -> l.lane().equals(name)).findFirst();
      List<RunboardPage.Running> running =
          stats.running().stream()
              .filter(r -> r.lane().equals(name))
              .map(
                  r ->
                      new RunboardPage.Running(
                          String.valueOf(r.runId()),
                          base + "/runs/" + r.runId(),
                          r.lane(),
                          r.workerId(),
                          ago(r.heartbeatAge()),
                          plane.stale(r),
                          base + "/runs/" + r.runId() + "/cancel"))
              .toList();
      Run finished = last.get(name);
      lanes.add(
          new RunboardPage.LaneRow(
              name,
              depth.map(QueueStats.LaneDepth::queued).orElse(0L),
              depth.map(QueueStats.LaneDepth::runnable).orElse(0L),
              depth.map(d -> ago(d.oldestAge())).orElse(""),
              running,
              finished == null ? null : row(base, finished)));
    }
    String status = Optional.ofNullable(p.req.getParameter("status")).orElse("").strip();
    String lane = Optional.ofNullable(p.req.getParameter("lane")).orElse("").strip();
    RunStatus wanted = null;
    if (!status.isEmpty()) {
      try {
        wanted = RunStatus.fromWire(status);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(e.getMessage(), "");
      }
    }
    Long before = null;
    String beforeText = p.req.getParameter("before");
    if (beforeText != null && !beforeText.isBlank()) {
      before = id(beforeText.strip());
    }
    int limit = 50;
    List<Run> page =
        queue.list(
            new RunFilter(
                wanted, lane.isEmpty() ? null : lane, null, null, null, limit + 1, null, before));
    boolean more = page.size() > limit;
    List<Run> shown = more ? page.subList(0, limit) : page;
    List<RunRow> recent = shown.stream().map(r -> row(base, r)).toList();
    String older = "";
    if (more) {
      older =
          base
              + "/runs?before="
              + shown.get(shown.size() - 1).id()
              + (status.isEmpty() ? "" : "&status=" + encode(status))
              + (lane.isEmpty() ? "" : "&lane=" + encode(lane));
    }
    page(
        p.resp,
        200,
        new RunboardPage(
            frame(p, "Runs", "runs", Optional.of(stats)), lanes, recent, older, status, lane));
  }

  private static RunRow row(String base, Run r) {
    return new RunRow(
        String.valueOf(r.id()),
        base + "/runs/" + r.id(),
        r.template(),
        r.lane(),
        r.status().wireName(),
        r.createdAt() == null ? "" : r.createdAt().toString(),
        r.message() == null ? "" : r.message());
  }

  private void run(Page p, long id, Optional<String> done) throws IOException {
    RunQueue queue = queue();
    Run run =
        queue.find(id).orElseThrow(() -> ApiException.notFound("There is no run " + id + "."));
    List<Field> fields = new ArrayList<>();
    fields.add(new Field("Lane", run.lane()));
    fields.add(new Field("Attempt", run.chargedAttempts() + " of " + run.maxAttempts()));
    fields.add(new Field("Enqueued", text(run.createdAt())));
    fields.add(new Field("Started", text(run.startedAt())));
    fields.add(new Field("Finished", text(run.finishedAt())));
    fields.add(new Field("Worker", run.workerId() == null ? "" : run.workerId()));
    fields.add(new Field("Heartbeat", text(run.heartbeatAt())));
    fields.add(new Field("Message", run.message() == null ? "" : run.message()));
    if (run.cancelReason() != null) {
      fields.add(new Field("Cancel reason", run.cancelReason()));
    }
    if (run.retryOf() != null) {
      fields.add(new Field("Retry of", "run " + run.retryOf()));
    }
    List<Field> steps = new ArrayList<>();
    for (RunStep step : queue.steps(id)) {
      steps.add(
          new Field(
              step.name(),
              step.status() + " · attempt " + step.attempt() + " · " + text(step.startedAt())));
    }
    List<RunPage.ArtifactRow> artifacts = new ArrayList<>();
    String runBase = base(p.req) + "/runs/" + id;
    for (Artifact a : queue.artifacts(id)) {
      String query = "?name=" + URLEncoder.encode(a.name(), StandardCharsets.UTF_8);
      artifacts.add(
          new RunPage.ArtifactRow(
              a.name(),
              a.size() + " bytes · sha256 " + a.sha256(),
              runBase + "/artifact" + query,
              base(p.req) + "/api/runs/" + id + "/artifact" + query));
    }
    List<RunPage.LogLine> log = new ArrayList<>();
    for (RunEvent e : queue.events(id, 0, 5000)) {
      log.add(
          new RunPage.LogLine(
              e.seq(),
              text(e.at()),
              e.stream() == null ? e.kind() : e.stream(),
              e.message() == null ? "" : e.message()));
    }
    String params;
    try {
      params = Exchange.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(run.params());
    } catch (IOException e) {
      params = String.valueOf(run.params());
    }
    String base = base(p.req);
    String notice = done.map(d -> "Done: " + d.replace('_', ' ') + ".").orElse("");
    page(
        p.resp,
        200,
        new RunPage(
            frame(p, "Run " + id, "runs"),
            String.valueOf(id),
            "Run " + id + " · " + run.template(),
            run.status().wireName(),
            fields,
            params,
            steps,
            artifacts,
            log,
            !run.status().isTerminal(),
            run.status() == RunStatus.ERROR || run.status() == RunStatus.CANCELLED,
            base + "/runs/" + id + "/cancel",
            base + "/runs/" + id + "/retry",
            notice,
            base + "/api/runs/" + id + "/stream",
            base + "/runs/" + id + "/log.txt",
            base + "/api/runs/" + id + "/events?limit=5000",
            base + "/api/runs/" + id + "/manifest"));
  }

  /**
   * One artifact in the browser: Markdown rendered (raw HTML in it escaped, links checked), JSON
   * indented, a diff side by side, an image shown, text as text; anything else offered for
   * download.
   */
  private void artifactPage(Page p, long id) throws IOException {
    RunQueue queue = queue();
    String name = Optional.ofNullable(p.req.getParameter("name")).orElse("");
    Artifact artifact = Artifacts.find(queue, id, name);
    Artifacts.Kind kind = Artifacts.Kind.of(artifact.name());
    String download =
        base(p.req)
            + "/api/runs/"
            + id
            + "/artifact?name="
            + URLEncoder.encode(artifact.name(), StandardCharsets.UTF_8);
    String text = "";
    String html = "";
    List<ArtifactPage.DiffRow> diff = List.of();
    boolean big = artifact.size() > ArtifactPage.MAX_SHOWN;
    if (!big && kind != Artifacts.Kind.IMAGE && kind != Artifacts.Kind.BINARY) {
      byte[] content = queue.artifactContent(id, artifact.name()).orElse(new byte[0]);
      String raw = new String(content, StandardCharsets.UTF_8);
      switch (kind) {
        case MARKDOWN -> html = ArtifactPage.markdown(raw);
        case JSON -> text = ArtifactPage.indentJson(raw);
        case DIFF -> diff = ArtifactPage.sideBySide(raw);
        default -> text = raw;
      }
    }
    page(
        p.resp,
        200,
        new ArtifactPage(
            frame(p, artifact.name(), "runs"),
            String.valueOf(id),
            base(p.req) + "/runs/" + id,
            artifact.name(),
            artifact.size() + " bytes · sha256 " + artifact.sha256(),
            kind.name().toLowerCase(Locale.ROOT),
            big,
            download,
            text,
            html,
            diff));
  }

  /** The whole log as text: one line per event, {@code time stream text}. */
  private void logText(Page p, long id) throws IOException {
    RunQueue queue = queue();
    if (queue.find(id).isEmpty()) {
      throw ApiException.notFound("There is no run " + id + ".");
    }
    StringBuilder out = new StringBuilder();
    int after = 0;
    while (true) {
      List<RunEvent> events = queue.events(id, after, 5000);
      for (RunEvent e : events) {
        out.append(text(e.at()))
            .append(' ')
            .append(e.stream() == null ? e.kind() : e.stream())
            .append(' ')
            .append(e.message() == null ? "" : e.message())
            .append('\n');
      }
      if (events.size() < 5000) {
        break;
      }
      after = events.get(events.size() - 1).seq();
    }
    byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
    p.resp.setStatus(200);
    p.resp.setContentType("text/plain;charset=utf-8");
    p.resp.setHeader("Content-Disposition", "attachment; filename=\"run-" + id + ".log\"");
    p.resp.setContentLength(bytes.length);
    p.resp.getOutputStream().write(bytes);
  }

  Frame frame(Page p, String title, String section) {
    Optional<QueueStats> stats = Optional.empty();
    if (plane.runs().isPresent()) {
      try {
        stats = Optional.of(plane.runs().get().stats());
      } catch (TollgateException e) {
        // The header shows no counts; the page itself says what failed if it needs the queue.
      }
    }
    return frame(p, title, section, stats);
  }

  /** The frame with the queue's counts from {@code stats}, read once by the page that has them. */
  private Frame frame(Page p, String title, String section, Optional<QueueStats> stats) {
    long queued = -1;
    long running = -1;
    long stale = 0;
    if (stats.isPresent()) {
      queued = stats.get().lanes().stream().mapToLong(QueueStats.LaneDepth::queued).sum();
      running = stats.get().running().size();
      stale = stats.get().running().stream().filter(plane::stale).count();
    }
    return new Frame(
        title,
        base(p.req),
        p.identity.name(),
        p.csrf,
        queued,
        running,
        stale,
        section,
        plane.readOnly(),
        plane.deploys().isPresent(),
        plane.hasTemplates(),
        plane.specKit().isPresent(),
        plane.audit().isPresent());
  }

  private MessagePage message(
      Page p, HttpServletRequest req, String heading, String message, String hint) {
    Frame frame =
        p == null
            ? new Frame(
                heading,
                base(req),
                "not signed in",
                "",
                -1,
                -1,
                0,
                "",
                plane.readOnly(),
                plane.deploys().isPresent(),
                plane.hasTemplates(),
                plane.specKit().isPresent(),
                plane.audit().isPresent())
            : frame(p, heading, "");
    return new MessagePage(frame, heading, message, hint, "", "", base(req) + "/");
  }

  static void page(HttpServletResponse resp, int status, Record model) throws IOException {
    String name =
        switch (model.getClass().getSimpleName()) {
          case "BoardPage" -> "board.jte";
          case "ItemPage" -> "item.jte";
          case "RunboardPage" -> "runs.jte";
          case "RunPage" -> "run.jte";
          case "MessagePage" -> "message.jte";
          case "OperationsPage" -> "operations.jte";
          case "EnvironmentPage" -> "environment.jte";
          case "PromotionPage" -> "promotion.jte";
          case "TemplatesPage" -> "templates.jte";
          case "TemplatePage" -> "template.jte";
          case "SpecKitPage" -> "speckit.jte";
          case "ArtifactPage" -> "artifact.jte";
          case "TemplateEditPage" -> "template-edit.jte";
          case "AuditPage" -> "audit.jte";
          case "EpicsPage" -> "epics.jte";
          default -> throw new IllegalArgumentException("no template for " + model.getClass());
        };
    StringOutput out = new StringOutput();
    TEMPLATES.render(name, model, out);
    byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
    resp.setStatus(status);
    resp.setContentType("text/html;charset=utf-8");
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }

  static void redirect(Page p, String path) {
    p.resp.setStatus(303);
    p.resp.setHeader("Location", base(p.req) + path);
  }

  private static void asset(HttpServletResponse resp, String name, String type) throws IOException {
    try (InputStream in =
        Console.class.getResourceAsStream("/dev/tollgate/controlplane/assets/" + name)) {
      if (in == null) {
        resp.sendError(404);
        return;
      }
      byte[] bytes = in.readAllBytes();
      resp.setStatus(200);
      resp.setContentType(type);
      resp.setHeader("Cache-Control", "public, max-age=300");
      resp.setContentLength(bytes.length);
      resp.getOutputStream().write(bytes);
    }
  }

  static String base(HttpServletRequest req) {
    return req.getContextPath() + req.getServletPath();
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static long id(String text) {
    try {
      long id = Long.parseLong(text);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ApiException.badRequest("A run id is a positive whole number, not '" + text + "'.", "");
  }

  static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String text(java.time.Instant at) {
    return at == null ? "" : at.toString();
  }

  static String ago(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return (s / 60) + " min";
    }
    if (s < 86_400) {
      return (s / 3600) + " h";
    }
    return (s / 86_400) + " d";
  }

  /** One page request: the exchange, the caller and the form token of their session. */
  record Page(HttpServletRequest req, HttpServletResponse resp, Identity identity, String csrf) {}
}
