package dev.tollgate.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.runs.template.RunTemplate;
import dev.tollgate.core.runs.template.TemplateDraft;
import dev.tollgate.core.runs.template.TemplateFiles;
import java.io.IOException;
import java.util.Optional;

/**
 * The template editor, shared by its API and its page: the text a template is edited from, a text
 * checked as the loader checks the file (every problem located, and the diff to commit), and saving
 * it into the checkout when the host lets the console write it ({@link
 * ControlPlane.Builder#templateFiles}) and the caller has the {@code deploy} scope.
 */
final class TemplateEditor {
  private final ControlPlane plane;
  private final TemplatesApi templates;

  TemplateEditor(ControlPlane plane, TemplatesApi templates) {
    this.plane = plane;
    this.templates = templates;
  }

  /**
   * The text to edit template {@code name} from.
   *
   * @param yaml the file's text; a new template's starting text when there is none
   * @param version the file's version to save over; null for a new file, or when the console cannot
   *     write the checkout
   * @param isNew whether there is no such template yet
   */
  record Opened(String yaml, String version, boolean isNew) {}

  Opened open(String name) {
    name(name);
    Optional<TemplateFiles> files = plane.templateFiles();
    if (files.isPresent()) {
      Optional<TemplateFiles.Source> source = files.get().read(name);
      if (source.isPresent()) {
        return new Opened(source.get().text(), source.get().version(), false);
      }
    }
    Optional<RunTemplate> served = templates.catalog().find(name);
    if (served.isPresent() && files.isEmpty()) {
      return new Opened(served.get().source(), null, false);
    }
    return new Opened(TemplateDraft.skeleton(name, RunTemplate.DEFAULT_LANE), null, true);
  }

  /** Checks {@code yaml} as template {@code name} against the file as it is now. */
  TemplateDraft check(String name, String yaml) {
    name(name);
    String current =
        plane.templateFiles().isPresent()
            ? plane.templateFiles().get().read(name).map(TemplateFiles.Source::text).orElse(null)
            : templates.catalog().find(name).map(RunTemplate::source).orElse(null);
    return TemplateDraft.check(name, yaml, current);
  }

  /** Whether {@code identity} may save here: a writable checkout and the {@code deploy} scope. */
  boolean maySave(Identity identity) {
    return !plane.readOnly()
        && identity.has(Scope.DEPLOY)
        && plane.templateFiles().map(TemplateFiles::writable).orElse(false);
  }

  /**
   * Why {@code identity} may not save here, or empty when it may; the same words on the page and in
   * the API's refusal.
   */
  Optional<ApiException> whyNotSave(Identity identity) {
    if (plane.readOnly()) {
      return Optional.of(ApiException.of(403, "api.read-only", "This console is read-only.", null));
    }
    if (plane.templateFiles().isEmpty()) {
      return Optional.of(
          ApiException.of(
              409,
              "templates.not-writable",
              "this console serves no checkout it may write, so the template cannot be saved"
                  + " here",
              "commit the YAML shown as the file named above; the repository is the source of"
                  + " truth"));
    }
    if (!plane.templateFiles().get().writable()) {
      return Optional.of(
          ApiException.of(
              409,
              "templates.not-writable",
              "the checkout's .tollgate/templates/ folder cannot be written by this server",
              "commit the YAML shown as the file named above, or serve a checkout this server"
                  + " may write"));
    }
    if (!identity.has(Scope.DEPLOY)) {
      return Optional.of(
          ApiException.of(
              403,
              "api.forbidden",
              identity.name() + " lacks the scope 'deploy' that saving a template needs",
              "changing what runs is as powerful as deploying: ask for a token or role with the"
                  + " 'deploy' scope"));
    }
    return Optional.empty();
  }

  /**
   * Saves {@code yaml} as template {@code name} over {@code version} (null: a new file).
   *
   * @throws ApiException 403 or 409 when it may not be saved here, 409 when the file changed since
   *     {@code version}
   */
  TemplateFiles.Saved save(Identity identity, String name, String yaml, String version) {
    name(name);
    Optional<ApiException> refused = whyNotSave(identity);
    if (refused.isPresent()) {
      throw refused.get();
    }
    TemplateFiles.Saved saved = plane.templateFiles().orElseThrow().save(name, yaml, version);
    if (saved instanceof TemplateFiles.Saved.Stale stale) {
      ObjectNode extra = Exchange.JSON.createObjectNode();
      extra.put("currentVersion", stale.current().map(TemplateFiles.Source::version).orElse(null));
      throw new ApiException(
          409,
          Diagnostic.of(
              dev.tollgate.core.Severity.ERROR,
              "api.conflict",
              stale.current().isPresent()
                  ? "the file changed since it was opened; nothing was saved"
                  : version == null
                      ? "the template exists now; nothing was saved"
                      : "the file was deleted since it was opened; nothing was saved",
              dev.tollgate.core.Location.ofFile(RunTemplate.DIRECTORY + "/" + name + ".yml"),
              "open it again, apply the change to the text as it is now, and save again"),
          extra);
    }
    return saved;
  }

  /** {@code POST /api/templates/check} with {@code {"name", "yaml"}}: the draft, never saved. */
  void checkApi(Exchange x) throws IOException {
    ObjectNode request = x.body();
    x.ok(json(check(text(request, "name"), text(request, "yaml"))));
  }

  /**
   * {@code PUT /api/templates/{name}} with {@code {"yaml", "version"}}: 201 for a new file, 200
   * over {@code version}; 400 with every problem; 409 when the file changed or cannot be written.
   */
  void saveApi(Exchange x) throws IOException {
    ObjectNode request = x.body();
    JsonNode version = request.get("version");
    if (version != null && !version.isNull() && !version.isTextual()) {
      throw ApiException.badRequest(
          "version: expected the version the text was opened at, or null for a new template", null);
    }
    String name = x.path("name");
    TemplateFiles.Saved saved =
        save(
            x.identity(),
            name,
            text(request, "yaml"),
            version == null || version.isNull() ? null : version.asText());
    if (saved instanceof TemplateFiles.Saved.Invalid invalid) {
      throw problems(invalid.draft());
    }
    TemplateFiles.Saved.Written written = (TemplateFiles.Saved.Written) saved;
    ObjectNode body = json(written.draft());
    body.put("version", written.version());
    x.reply(written.draft().isNew() ? 201 : 200, body);
  }

  /**
   * A 400 carrying every problem of {@code draft} as {@code problems}, the first as {@code error}.
   */
  static ApiException problems(TemplateDraft draft) {
    return Problems.refusal(draft.problems());
  }

  static ObjectNode json(TemplateDraft d) {
    ObjectNode o = Exchange.JSON.createObjectNode();
    o.put("name", d.name());
    o.put("file", d.file());
    o.put("valid", d.valid());
    o.put("isNew", d.isNew());
    ArrayNode problems = o.putArray("problems");
    d.problems().forEach(p -> problems.add(Problems.body(p).get("error")));
    if (d.template().isPresent()) {
      o.set("template", TemplatesApi.json(d.template().get()));
    } else {
      o.putNull("template");
    }
    o.put("diff", d.diff());
    o.put("yaml", d.yaml());
    return o;
  }

  private static String name(String name) {
    try {
      return TemplateDraft.checkName(name);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("name: " + e.getMessage(), null);
    }
  }

  private static String text(ObjectNode request, String field) {
    JsonNode value = request.get(field);
    if (value == null || !value.isTextual()) {
      throw ApiException.badRequest(
          field
              + ": expected a string but found "
              + (value == null
                  ? "nothing"
                  : value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)),
          null);
    }
    return value.asText();
  }
}
