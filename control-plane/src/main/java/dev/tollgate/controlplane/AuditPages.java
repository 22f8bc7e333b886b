package dev.tollgate.controlplane;

import dev.tollgate.controlplane.internal.pages.AuditPage;
import dev.tollgate.core.audit.AuditLog;
import dev.tollgate.core.audit.AuditRecord;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The console's audit page: the entries of {@code GET /api/audit} as a table, newest first, 50 a
 * page with a link to the older ones (keyset: {@code before} is the last entry's id), filtered by
 * who acted.
 */
final class AuditPages {
  static final int PAGE = 50;

  private final ControlPlane plane;
  private final Console console;

  AuditPages(ControlPlane plane, Console console) {
    this.plane = plane;
    this.console = console;
  }

  void get(Console.Page p) throws IOException {
    AuditLog log =
        plane.audit().orElseThrow(() -> ApiException.notFound("This console keeps no audit log."));
    String actor = Optional.ofNullable(p.req().getParameter("actor")).orElse("").strip();
    long before = 0;
    String given = p.req().getParameter("before");
    if (given != null && !given.isEmpty()) {
      try {
        before = Long.parseLong(given);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest(
            "before: expected the number of an entry but found '" + given + "'.", null);
      }
    }
    List<AuditRecord> page = log.page(before, PAGE + 1, actor.isEmpty() ? null : actor);
    boolean more = page.size() > PAGE;
    List<AuditRecord> shown = more ? page.subList(0, PAGE) : page;
    String next = "";
    if (more) {
      next =
          Console.base(p.req())
              + "/audit?before="
              + shown.get(PAGE - 1).id()
              + (actor.isEmpty()
                  ? ""
                  : "&actor=" + URLEncoder.encode(actor, StandardCharsets.UTF_8));
    }
    Console.page(
        p.resp(),
        200,
        new AuditPage(
            console.frame(p, "Audit log", "audit"),
            actor,
            shown.stream()
                .map(
                    e ->
                        new AuditPage.Entry(
                            e.at().toString(),
                            e.actor(),
                            e.action(),
                            e.target(),
                            e.status(),
                            e.result(),
                            e.message() == null ? "" : e.message()))
                .toList(),
            next,
            plane.auditFailures()));
  }
}
