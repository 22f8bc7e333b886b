package dev.tollgate.controlplane;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.controlplane.internal.pages.SpecKitPage;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Severity;
import dev.tollgate.core.report.Report;
import dev.tollgate.core.report.Section;
import dev.tollgate.speckit.SpecKitConfigLoader;
import dev.tollgate.speckit.SpecKitInit;
import dev.tollgate.speckit.SpecKitValidator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The Spec Kit view, over the API ({@code GET /api/spec-kit}) and as a page ({@code /spec-kit}):
 * the project's kits validated on every call, one status per feature with its findings and their
 * rule pages; and a form that generates a new feature or classic kit as {@code tollgate spec-kit
 * init} would, offered as a zip download so the repository stays the source of truth.
 */
final class SpecKitPages {
  private final ControlPlane plane;
  private final Console console;

  SpecKitPages(ControlPlane plane, Console console) {
    this.plane = plane;
    this.console = console;
  }

  private Path root() {
    return plane
        .specKit()
        .orElseThrow(() -> ApiException.notFound("This control plane serves no Spec Kit."));
  }

  private Report validate() {
    Path root = root();
    return new SpecKitValidator(SpecKitConfigLoader.load(root)).validate(List.of(root));
  }

  /** {@code GET /api/spec-kit}: per feature, its counts and findings. */
  void api(Exchange x) throws IOException {
    Report report = validate();
    ObjectNode body = Exchange.JSON.createObjectNode();
    var summary = report.summary();
    body.put("errors", summary.errors());
    body.put("warnings", summary.warnings());
    body.put("files", report.files());
    ArrayNode features = body.putArray("features");
    for (Section s : report.sections()) {
      ObjectNode f = features.addObject();
      f.put("name", s.name());
      f.put("path", s.path());
      f.put("status", status(s));
      ArrayNode findings = f.putArray("findings");
      s.findings().forEach(d -> findings.add(Problems.body(d).get("error")));
    }
    x.ok(body);
  }

  void get(Console.Page p, List<String> s) throws IOException {
    if (!s.isEmpty()) {
      throw ApiException.notFound("There is no page at /spec-kit/" + String.join("/", s) + ".");
    }
    page(p, "", 200);
  }

  void post(Console.Page p, List<String> s) throws IOException {
    if (s.size() != 1 || !s.get(0).equals("init")) {
      throw ApiException.notFound("There is no form at /spec-kit/" + String.join("/", s) + ".");
    }
    String name = param(p, "name");
    if (name.isEmpty()) {
      throw ApiException.badRequest("A new feature needs a name.", "Give it a name.");
    }
    SpecKitInit.Layout layout =
        SpecKitInit.Layout.parse(param(p, "layout").isEmpty() ? "github" : param(p, "layout"))
            .orElseThrow(() -> ApiException.badRequest("Unknown layout.", "github or classic."));
    List<String> goals =
        Arrays.stream(param(p, "goals").split("\\R"))
            .map(String::strip)
            .filter(g -> !g.isEmpty())
            .toList();
    SpecKitInit.Request request =
        new SpecKitInit.Request(name, layout, param(p, "title"), param(p, "description"), goals);
    String folder = SpecKitInit.folderFor(root(), request);
    Map<String, String> files =
        SpecKitInit.render(
            folder.substring(folder.indexOf('/') + 1), request, LocalDate.now(plane.clock()));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, String> e : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(folder + "/" + e.getKey()));
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    String file = folder.substring(folder.indexOf('/') + 1) + ".zip";
    p.resp().setStatus(200);
    p.resp().setContentType("application/zip");
    p.resp().setHeader("Content-Disposition", "attachment; filename=\"" + file + "\"");
    p.resp().setContentLength(bytes.size());
    p.resp().getOutputStream().write(bytes.toByteArray());
  }

  private void page(Console.Page p, String notice, int status) throws IOException {
    Report report = validate();
    List<SpecKitPage.Feature> features = new ArrayList<>();
    for (Section s : report.sections()) {
      List<SpecKitPage.Finding> findings = new ArrayList<>();
      for (Diagnostic d : s.findings()) {
        findings.add(
            new SpecKitPage.Finding(
                d.severity().label(),
                d.ruleId(),
                d.docsUrl().orElse(""),
                d.location().toString(),
                d.message(),
                d.hint().orElse("")));
      }
      features.add(
          new SpecKitPage.Feature(
              s.path().isEmpty() ? "(the project)" : s.path(),
              status(s),
              count(s, Severity.ERROR),
              count(s, Severity.WARNING),
              findings));
    }
    var summary = report.summary();
    Console.page(
        p.resp(),
        status,
        new SpecKitPage(
            console.frame(p, "Spec Kit", "spec-kit"),
            summary.errors()
                + " errors, "
                + summary.warnings()
                + " warnings in "
                + report.files()
                + " files",
            features,
            Console.base(p.req()) + "/spec-kit/init",
            notice));
  }

  private static String status(Section s) {
    if (count(s, Severity.ERROR) > 0) {
      return "errors";
    }
    return count(s, Severity.WARNING) > 0 ? "warnings" : "ok";
  }

  private static int count(Section s, Severity severity) {
    return (int) s.findings().stream().filter(d -> d.severity() == severity).count();
  }

  private static String param(Console.Page p, String name) {
    return Optional.ofNullable(p.req().getParameter(name)).orElse("").strip();
  }
}
