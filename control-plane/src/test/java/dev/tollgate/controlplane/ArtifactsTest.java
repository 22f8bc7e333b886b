package dev.tollgate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.controlplane.internal.pages.ArtifactPage;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunQueue;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run's artifacts in the console and over the API: downloaded with a type from their name
 * (binaries and SVG only as attachments), the SHA-256 manifest, and viewers that render Markdown
 * with its raw HTML escaped, indent JSON, show a diff side by side and show an image.
 */
class ArtifactsTest {
  private static Database db;
  private static RunQueue queue;
  private static ControlPlaneServer server;
  private static Demo.Client client;
  private static long run;

  @BeforeAll
  static void start() {
    db = TestDatabase.freshSchema("cp_artifacts", 4);
    queue = PostgresRunQueue.open(db.dataSource(), db.schema());
    queue.enqueue(NewRun.builder("report").lane("artifacts").build());
    Run claimed = queue.claim("w-artifacts", List.of("artifacts"), 1).get(0);
    run = claimed.id();
    put(
        claimed,
        "report.md",
        "# Report\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(2))\n\n"
            + "| gate | result |\n| :--- | ---: |\n| reviews | <img src=x onerror=alert(4)> |\n");
    put(claimed, "result.json", "{\"ok\":true,\"items\":[1,2]}");
    put(
        claimed,
        "change.diff",
        "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n keep\n-old <b>line</b>\n+new line\n");
    put(
        claimed,
        "logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(3)</script></svg>");
    server =
        ControlPlaneServer.start(
            ControlPlane.builder().runs(queue).authenticator(Authenticator.loopback("ann")).build(),
            "127.0.0.1",
            0,
            "");
    client = new Demo.Client(server.uri());
  }

  private static void put(Run claimed, String name, String content) {
    assertThat(queue.putArtifact(claimed.lease(), name, content.getBytes(StandardCharsets.UTF_8)))
        .isTrue();
  }

  @AfterAll
  static void stop() {
    server.close();
    db.close();
  }

  private static HttpResponse<String> get(String path) {
    return client.send(client.get(path));
  }

  private static String name(String n) {
    return URLEncoder.encode(n, StandardCharsets.UTF_8);
  }

  @Test
  void downloads_carry_a_type_from_the_name_and_binaries_come_only_as_attachments() {
    HttpResponse<String> md = get("/api/runs/" + run + "/artifact?name=" + name("report.md"));
    HttpResponse<String> svg = get("/api/runs/" + run + "/artifact?name=" + name("logo.svg"));
    HttpResponse<String> missing = get("/api/runs/" + run + "/artifact?name=" + name("nope.txt"));
    HttpResponse<String> manifest = get("/api/runs/" + run + "/manifest");

    assertThat(md.statusCode()).isEqualTo(200);
    assertThat(md.headers().firstValue("Content-Type")).hasValue("text/markdown;charset=utf-8");
    assertThat(md.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(svg.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    assertThat(svg.headers().firstValue("Content-Disposition"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("attachment"));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(manifest.body()).contains(" report.md").contains(" result.json").hasLineCount(4);
  }

  @Test
  void markdown_is_rendered_with_its_raw_html_escaped_and_unsafe_links_dropped() {
    String page = get("/runs/" + run + "/artifact?name=" + name("report.md")).body();

    assertThat(page).contains("<h1>Report</h1>").doesNotContain("<script>alert(1)");
    assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(page).doesNotContain("javascript:");
  }

  @Test
  void markdown_tables_are_rendered_as_tables_with_their_cells_escaped() {
    String page = get("/runs/" + run + "/artifact?name=" + name("report.md")).body();

    assertThat(page).contains("<table>").contains("<th align=\"left\">gate</th>");
    assertThat(page).contains("<td align=\"right\">&lt;img src=x onerror=alert(4)&gt;</td>");
    assertThat(page).doesNotContain("<img src=x");
  }

  @Test
  void json_is_indented_and_a_diff_is_shown_side_by_side_escaped() {
    String json = get("/runs/" + run + "/artifact?name=" + name("result.json")).body();
    String diff = get("/runs/" + run + "/artifact?name=" + name("change.diff")).body();
    String runPage = get("/runs/" + run).body();

    assertThat(json).contains("\"ok\" : true").contains("\"items\" : [ 1, 2 ]");
    assertThat(diff)
        .contains(
            "<tr class=\"changed\"><td>old &lt;b&gt;line&lt;/b&gt;</td><td>new line</td></tr>")
        .contains("<tr class=\"same\"><td>keep</td><td>keep</td></tr>");
    assertThat(runPage)
        .contains("/runs/" + run + "/artifact?name=report.md")
        .contains("sha256_manifest.txt");
  }

  @Test
  void a_diff_pairs_each_run_of_removed_lines_with_the_added_lines_after_it() {
    List<ArtifactPage.DiffRow> rows =
        ArtifactPage.sideBySide("@@ -1,3 +1,2 @@\n a\n-b\n-c\n+B\n d\n+e\n");

    assertThat(rows)
        .containsExactly(
            new ArtifactPage.DiffRow("@@ -1,3 +1,2 @@", "", "hunk"),
            new ArtifactPage.DiffRow("a", "a", "same"),
            new ArtifactPage.DiffRow("b", "B", "changed"),
            new ArtifactPage.DiffRow("c", "", "removed"),
            new ArtifactPage.DiffRow("d", "d", "same"),
            new ArtifactPage.DiffRow("", "e", "added"));
  }
}
