package dev.tollgate.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.controlplane.internal.pages.Field;
import dev.tollgate.controlplane.internal.pages.TemplateEditPage;
import dev.tollgate.controlplane.internal.pages.TemplatePage;
import dev.tollgate.controlplane.internal.pages.TemplatesPage;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.runs.Enqueued;
import dev.tollgate.core.runs.template.RunParams;
import dev.tollgate.core.runs.template.RunTemplate;
import dev.tollgate.core.runs.template.TemplateDraft;
import dev.tollgate.core.runs.template.TemplateFiles;
import dev.tollgate.core.runs.template.TemplatePreview;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The console's template pages: the list, and each template's form generated from its parameter
 * schema (a text, number or password field, or a choice for an enum or a boolean, per top-level
 * parameter), with Preview (what will run, secrets {@code ***}) and Enqueue (checked against the
 * schema as {@code tollgate runs enqueue} checks it; every problem is shown and nothing is
 * enqueued).
 */
final class TemplatePages {
  private final ControlPlane plane;
  private final Console console;
  private final TemplatesApi api;
  private final TemplateEditor editor;

  TemplatePages(ControlPlane plane, Console console) {
    this.plane = plane;
    this.console = console;
    this.api = new TemplatesApi(plane);
    this.editor = new TemplateEditor(plane, api);
  }

  void get(Console.Page p, List<String> s) throws IOException {
    String wanted = p.req().getParameter("new");
    if (s.isEmpty() && wanted != null) {
      String name = wanted.strip();
      try {
        TemplateDraft.checkName(name);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(
            "New template: " + e.getMessage() + ".", "Choose another name.");
      }
      Console.redirect(p, "/templates/" + Console.encode(name) + "/edit");
    } else if (s.isEmpty()) {
      String base = Console.base(p.req());
      List<TemplatesPage.Row> rows =
          api.catalog().templates().stream()
              .map(
                  t ->
                      new TemplatesPage.Row(
                          t.name(),
                          base + "/templates/" + Console.encode(t.name()),
                          t.description().orElse(""),
                          t.lane(),
                          t.steps().size()))
              .toList();
      Console.page(
          p.resp(), 200, new TemplatesPage(console.frame(p, "Templates", "templates"), rows));
    } else if (s.size() == 1) {
      RunTemplate t = api.template(s.get(0));
      page(p, t, Map.of(), "", List.of(), null, 200);
    } else if (s.size() == 2 && s.get(1).equals("edit")) {
      TemplateEditor.Opened opened = editor.open(name(s.get(0)));
      editPage(
          p,
          s.get(0),
          opened.yaml(),
          opened.version(),
          Console.notice(p).filter(n -> n.equals("saved")).map(n -> "Saved.").orElse(""),
          200);
    } else {
      throw ApiException.notFound("There is no page at /templates/" + String.join("/", s) + ".");
    }
  }

  void post(Console.Page p, List<String> s) throws IOException {
    if (s.size() == 2 && s.get(1).equals("edit")) {
      edit(p, name(s.get(0)));
      return;
    }
    if (s.size() != 2 || !(s.get(1).equals("preview") || s.get(1).equals("enqueue"))) {
      throw ApiException.notFound("There is no form at /templates/" + String.join("/", s) + ".");
    }
    RunTemplate t = api.template(s.get(0));
    Map<String, String> given = given(p, t);
    String lane = Optional.ofNullable(p.req().getParameter("lane")).orElse("").strip();
    RunParams params;
    try {
      params = t.parseParams(assignments(given));
    } catch (TollgateException e) {
      page(p, t, given, lane, lines(e.diagnostics(), e.getMessage()), null, 400);
      return;
    }
    if (s.get(1).equals("preview")) {
      TemplatePreview preview = TemplatePreview.of(t, params, lane.isEmpty() ? null : lane);
      page(p, t, given, lane, lines(preview.problems(), ""), preview, 200);
      return;
    }
    Enqueued enqueued;
    try {
      enqueued = api.enqueue(t, params, lane.isEmpty() ? null : lane, 0, null);
    } catch (ApiException e) {
      List<String> problems = new ArrayList<>();
      JsonNode all = e.extra().map(x -> x.get("problems")).orElse(null);
      if (all != null) {
        all.forEach(d -> problems.add(d.get("message").asText()));
      } else {
        problems.add(e.diagnostic().message());
      }
      page(p, t, given, lane, problems, null, e.status());
      return;
    }
    Console.redirect(p, "/runs/" + enqueued.run().id() + "?done=enqueued");
  }

  /** Check or Save from the editor's form; the text typed is always shown back, never lost. */
  private void edit(Console.Page p, String name) throws IOException {
    String yaml =
        Optional.ofNullable(p.req().getParameter("yaml")).orElse("").replace("\r\n", "\n");
    String version = Optional.ofNullable(p.req().getParameter("version")).orElse("");
    if (!"save".equals(p.req().getParameter("do"))) {
      editPage(p, name, yaml, version, "", 200);
      return;
    }
    TemplateFiles.Saved saved;
    try {
      saved = editor.save(p.identity(), name, yaml, version.isEmpty() ? null : version);
    } catch (ApiException e) {
      String current = version;
      JsonNode now = e.extra().map(x -> x.get("currentVersion")).orElse(null);
      if (now != null) {
        current = now.isNull() ? "" : now.asText();
      }
      String why = e.diagnostic().message() + e.diagnostic().hint().map(h -> ". " + h).orElse("");
      editPage(p, name, yaml, current, "Not saved: " + why + ".", e.status());
      return;
    }
    if (saved instanceof TemplateFiles.Saved.Invalid) {
      editPage(p, name, yaml, version, "Not saved: the text has problems.", 400);
      return;
    }
    Console.redirect(p, "/templates/" + Console.encode(name) + "/edit?done=saved");
  }

  private static String name(String name) {
    try {
      return TemplateDraft.checkName(name);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("There is no template '" + name + "': " + e.getMessage() + ".");
    }
  }

  private void editPage(
      Console.Page p, String name, String yaml, String version, String notice, int status)
      throws IOException {
    TemplateDraft draft = editor.check(name, yaml);
    String base = Console.base(p.req());
    List<TemplateEditPage.Problem> problems = new ArrayList<>();
    for (Diagnostic d : draft.problems()) {
      problems.add(
          new TemplateEditPage.Problem(
              d.location().line(),
              d.location().column(),
              d.location().toString(),
              d.message(),
              d.hint().orElse("")));
    }
    String summary = "";
    if (draft.template().isPresent()) {
      RunTemplate t = draft.template().get();
      List<String> params = new ArrayList<>();
      t.paramsSchema().path("properties").fieldNames().forEachRemaining(params::add);
      summary =
          "Lane "
              + t.lane()
              + " · parameters: "
              + (params.isEmpty() ? "none" : String.join(", ", params))
              + " · steps: "
              + String.join(
                  ", ", t.steps().stream().map(x -> x.name() + " (" + x.kind() + ")").toList());
    }
    List<TemplateEditPage.DiffLine> diff =
        draft.diff().lines().map(TemplateEditPage.DiffLine::of).toList();
    Optional<ApiException> whyNot = editor.whyNotSave(p.identity());
    Console.page(
        p.resp(),
        status,
        new TemplateEditPage(
            console.frame(p, "Edit " + name, "templates"),
            name,
            draft.file(),
            yaml,
            version,
            draft.isNew(),
            base + "/templates/" + Console.encode(name) + "/edit",
            base + "/api/templates/check",
            problems,
            summary,
            diff,
            whyNot.isEmpty(),
            whyNot
                .map(
                    e ->
                        e.diagnostic().message()
                            + e.diagnostic().hint().map(h -> ". " + h).orElse(""))
                .orElse(""),
            notice));
  }

  /** The form's values per parameter, secrets included (they are never shown back). */
  private static Map<String, String> given(Console.Page p, RunTemplate t) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (Iterator<String> it = t.paramsSchema().path("properties").fieldNames(); it.hasNext(); ) {
      String name = it.next();
      String value = p.req().getParameter("p." + name);
      if (value != null && !value.isEmpty()) {
        out.put(name, value);
      }
    }
    return out;
  }

  private static List<String> assignments(Map<String, String> given) {
    List<String> out = new ArrayList<>();
    given.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  private static List<String> lines(List<Diagnostic> problems, String fallback) {
    if (problems.isEmpty()) {
      return fallback.isEmpty() ? List.of() : List.of(fallback);
    }
    return problems.stream().map(d -> d.message()).toList();
  }

  private void page(
      Console.Page p,
      RunTemplate t,
      Map<String, String> given,
      String lane,
      List<String> problems,
      TemplatePreview preview,
      int status)
      throws IOException {
    String base = Console.base(p.req()) + "/templates/" + Console.encode(t.name());
    Set<String> secrets = new TreeSet<>(t.writeOnlyParams());
    JsonNode schema = t.paramsSchema();
    Set<String> required = new TreeSet<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    List<TemplatePage.ParamField> fields = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      fields.add(field(e.getKey(), e.getValue(), required, secrets, given));
    }
    TemplatePage.Preview shown = null;
    if (preview != null && preview.valid()) {
      List<Field> variables = new ArrayList<>();
      preview.variables().forEach((k, v) -> variables.add(new Field(k, v)));
      List<Field> steps = new ArrayList<>();
      for (TemplatePreview.StepPreview step : preview.steps()) {
        steps.add(
            new Field(
                step.name() + " (" + step.kind() + ", timeout " + step.timeout() + ")",
                step.runs()));
      }
      shown =
          new TemplatePage.Preview(
              preview.lane(),
              Exchange.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(preview.params()),
              variables,
              steps);
    }
    Console.page(
        p.resp(),
        status,
        new TemplatePage(
            console.frame(p, t.name(), "templates"),
            t.name(),
            t.description().orElse(""),
            t.lane(),
            fields,
            lane,
            base + "/preview",
            base + "/enqueue",
            problems,
            shown,
            t.source()));
  }

  private static TemplatePage.ParamField field(
      String name,
      JsonNode schema,
      Set<String> required,
      Set<String> secrets,
      Map<String, String> given) {
    String type = schema.path("type").asText("");
    List<String> hint = new ArrayList<>();
    if (schema.hasNonNull("description")) {
      hint.add(schema.get("description").asText());
    }
    if (!type.isEmpty()) {
      hint.add(type);
    }
    if (schema.has("minimum")) {
      hint.add("at least " + schema.get("minimum").asText());
    }
    if (schema.has("maximum")) {
      hint.add("at most " + schema.get("maximum").asText());
    }
    if (schema.has("default")) {
      hint.add("default " + schema.get("default").toString());
    }
    String value = secrets.contains(name) ? "" : given.getOrDefault(name, "");
    List<String> options = List.of();
    String input;
    if (schema.has("enum")) {
      input = "select";
      List<String> o = new ArrayList<>();
      o.add("");
      schema.get("enum").forEach(v -> o.add(v.isTextual() ? v.asText() : v.toString()));
      options = o;
    } else if (type.equals("boolean")) {
      input = "select";
      options = List.of("", "true", "false");
    } else if (secrets.contains(name)) {
      input = "password";
      hint.add("secret: sealed, shown as ***");
    } else if (type.equals("integer") || type.equals("number")) {
      input = "number";
    } else {
      input = "text";
    }
    return new TemplatePage.ParamField(
        name, input, required.contains(name), String.join(" · ", hint), value, options);
  }
}
