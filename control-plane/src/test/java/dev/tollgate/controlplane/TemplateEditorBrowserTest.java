package dev.tollgate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresAuditLog;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.template.TemplateCatalog;
import dev.tollgate.core.runs.template.TemplateFiles;
import dev.tollgate.core.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The template editor and the audit page in a real browser (headless Chromium): a broken line typed
 * shows its located problem and the diff without a reload, Save writes the file, and the audit page
 * lists the save; both pages pass axe-core and are shot on a phone and a desktop.
 */
@ExtendWith(Chromium.Required.class)
class TemplateEditorBrowserTest {
  private static final String TEMPLATE =
      "name: restart-service\n"
          + "description: Restart a service and wait until it is healthy again\n"
          + "lane: ops\n"
          + "params:\n"
          + "  type: object\n"
          + "  required: [service]\n"
          + "  properties:\n"
          + "    service: {enum: [checkout, refunds, catalog]}\n"
          + "steps:\n"
          + "  - name: restart\n"
          + "    timeout: 5m\n"
          + "    shell: 'echo restarting \"$TOLLGATE_PARAM_SERVICE\"'\n";

  private static Path root;
  private static Database db;
  private static ControlPlaneServer server;

  @BeforeAll
  static void serve() throws Exception {
    root = Files.createTempDirectory("tollgate-editor-browser");
    Path file = root.resolve(".tollgate/templates/restart-service.yml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, TEMPLATE);
    db = TestDatabase.freshSchema("cp_editor_browser", 6);
    server =
        ControlPlaneServer.start(
            ControlPlane.builder()
                .runs(PostgresRunQueue.open(db.dataSource(), db.schema()))
                .templates(() -> TemplateCatalog.forProject(root), Optional::empty)
                .templateFiles(TemplateFiles.forProject(root))
                .audit(PostgresAuditLog.open(db.dataSource(), db.schema()))
                .authenticator(Authenticator.loopback("olga"))
                .build(),
            "127.0.0.1",
            0,
            "");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (db != null) {
      db.close();
    }
  }

  private static String url(String path) {
    return server.uri().resolve(path.substring(1)).toString();
  }

  @Test
  void typing_shows_located_problems_and_the_diff_live_and_save_writes_the_file() throws Exception {
    ChromeDriver chrome = Browser.start(390, 844);
    try {
      chrome.get(url("/templates/restart-service/edit"));
      Browser.screenshot(chrome, "console-template-editor-phone");
      WebElement yaml = chrome.findElement(By.id("editor-yaml"));
      yaml.sendKeys(Keys.chord(Keys.CONTROL, Keys.END), "max_attempts: many\n");

      Browser.awaitText(chrome, By.id("editor-status"), "1 problem(s)", 15);
      Browser.awaitText(
          chrome, By.id("editor-problems"), ".tollgate/templates/restart-service.yml:13:15", 5);
      Browser.awaitText(chrome, By.id("editor-problems"), "max_attempts must be an integer", 5);
      Browser.awaitText(chrome, By.id("editor-diff"), "+max_attempts: many", 5);
      assertThat(Files.readString(root.resolve(".tollgate/templates/restart-service.yml")))
          .isEqualTo(TEMPLATE);

      // The problem's place is a button that puts the cursor on it.
      chrome.findElement(By.cssSelector("#editor-problems button")).click();
      Object caret = chrome.executeScript("return arguments[0].selectionStart;", yaml);
      assertThat(((Number) caret).intValue()).isEqualTo(TEMPLATE.length() + 14);

      yaml.sendKeys(Keys.END, Keys.BACK_SPACE, Keys.BACK_SPACE, Keys.BACK_SPACE, Keys.BACK_SPACE);
      yaml.sendKeys("3");
      Browser.awaitText(chrome, By.id("editor-status"), "No problems.", 15);
      Browser.awaitText(chrome, By.id("editor-status"), "steps: restart (shell)", 5);
      Browser.screenshot(chrome, "console-template-editor-checked-phone");

      chrome.findElement(By.cssSelector("button[value=save]")).click();
      Browser.awaitText(chrome, By.cssSelector("p.notice"), "Saved.", 15);
      assertThat(Files.readString(root.resolve(".tollgate/templates/restart-service.yml")))
          .isEqualTo(TEMPLATE + "max_attempts: 3\n");

      chrome.get(url("/audit"));
      assertThat(chrome.findElement(By.cssSelector("table.audit tbody tr")).getText())
          .contains("olga")
          .contains("/templates/restart-service/edit")
          .contains("done");
      Browser.screenshot(chrome, "console-audit-phone");
    } finally {
      chrome.quit();
    }
  }

  @Test
  void the_editor_and_audit_pages_pass_axe_core_and_are_shot_on_desktop() throws Exception {
    ChromeDriver chrome = Browser.start(1280, 800);
    try {
      for (String[] page :
          new String[][] {
            {"/templates/restart-service/edit", "console-template-editor-desktop"},
            {"/templates/nightly-report/edit", "console-template-new-desktop"},
            {"/audit", "console-audit-desktop"}
          }) {
        chrome.get(url(page[0]));
        Browser.screenshot(chrome, page[1]);
        assertThat(Browser.seriousViolations(chrome)).as("axe-core on %s", page[0]).isEmpty();
      }
    } finally {
      chrome.quit();
    }
  }
}
