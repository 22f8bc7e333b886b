package dev.tollgate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.deploy.Promotion;
import dev.tollgate.core.deploy.service.DeployBackend;
import dev.tollgate.core.deploy.service.DeployServices;
import dev.tollgate.core.deploy.service.TestProject;
import dev.tollgate.core.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The Operations view in a real browser (headless Chromium): an operator on a phone presses Deploy
 * now and watches the promotion go executing → deployed with its log, and a failing smoke check end
 * rolled back; the pages pass axe-core; screenshots go where {@link Browser#screenshot} says.
 */
@ExtendWith(Chromium.Required.class)
class OperationsBrowserTest {
  private static Database db;
  private static DeployServices services;
  private static ControlPlaneServer server;

  @BeforeAll
  static void serve() throws Exception {
    Path root = Files.createTempDirectory("tollgate-ops-browser");
    TestProject project = new TestProject(root);
    project.spec(
        "staging",
        "deploy:\n  shell: 'echo migrating; sleep 2; echo shipping \"$TOLLGATE_PARAM_VERSION\"'\n");
    project.spec(
        "production",
        "backup:\n  shell: 'echo snapshot-2026-12-06'\n"
            + "deploy:\n  shell: 'echo shipping; touch broken.flag'\n"
            + "smoke_post:\n  - name: health\n"
            + "    shell: 'if [ -f broken.flag ]; then echo health check failed >&2; exit 1; fi'\n"
            + "rollback:\n  shell: 'echo restoring the snapshot; rm -f broken.flag'\n");
    project.commit("init");
    project.tag("v3.1.0");
    db = TestDatabase.freshSchema("cp_ops_browser", 6);
    DeployBackend backend = DeployFixture.backend(db);
    services = DeployFixture.services(root, backend);
    server =
        ControlPlaneServer.start(
            ControlPlane.builder()
                .runs(backend.queue())
                .deploys(services)
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

  private static String approved(String environment) {
    Promotion p = services.promotions().create(environment, Optional.empty(), "rita");
    services.promotions().approve(p.id(), "rita");
    return p.id();
  }

  @Test
  void deploy_now_on_a_phone_follows_the_promotion_to_deployed_with_its_log() throws Exception {
    String id = approved("staging");
    ChromeDriver chrome = Browser.start(390, 844);
    try {
      chrome.get(url("/operations"));
      Browser.screenshot(chrome, "console-operations-phone");
      chrome.get(url("/operations/promotions/" + id));
      chrome.findElement(By.cssSelector("button.deploy")).click();

      Browser.awaitText(chrome, By.id("promotion-status"), "executing", 20);
      Browser.awaitText(chrome, By.id("log"), "migrating", 20);
      Browser.awaitText(chrome, By.id("promotion-status"), "deployed", 30);

      Browser.awaitText(chrome, By.id("log"), "shipping v3.1.0", 10);
      Browser.awaitText(chrome, By.id("promotion-fields"), "v3.1.0", 10);
      Browser.awaitText(chrome, By.id("promotion-fields"), "deployed by olga", 10);
      assertThat(chrome.findElements(By.cssSelector("button.deploy"))).isEmpty();
      Browser.screenshot(chrome, "console-promotion-phone");
    } finally {
      chrome.quit();
    }
  }

  @Test
  void a_failing_smoke_check_is_seen_ending_rolled_back_with_the_backup_reference()
      throws Exception {
    String id = approved("production");
    ChromeDriver chrome = Browser.start(1280, 800);
    try {
      chrome.get(url("/operations/promotions/" + id));
      chrome.findElement(By.cssSelector("button.deploy")).click();

      Browser.awaitText(chrome, By.id("promotion-status"), "rolled_back", 30);

      Browser.awaitText(chrome, By.id("log"), "restoring the snapshot", 10);
      Browser.awaitText(chrome, By.id("promotion-fields"), "snapshot-2026-12-06", 10);
      Browser.awaitText(chrome, By.id("promotion-fields"), "rolled_back", 10);
      chrome.get(url("/operations"));
      assertThat(chrome.findElement(By.cssSelector("article.env.held")).getText())
          .contains("production")
          .contains("Unlock");
      services.locks().unlock("production", "olga");
    } finally {
      chrome.quit();
    }
  }

  @Test
  void the_operations_pages_pass_axe_core_and_are_shot_on_desktop() throws Exception {
    String id = approved("staging");
    ChromeDriver chrome = Browser.start(1280, 800);
    try {
      for (Map.Entry<String, String> page :
          Map.of(
                  "/operations",
                  "console-operations-desktop",
                  "/operations/environments/staging",
                  "console-environment-desktop",
                  "/operations/promotions/" + id,
                  "console-approved-promotion-desktop")
              .entrySet()) {
        chrome.get(url(page.getKey()));
        Browser.screenshot(chrome, page.getValue());
        assertThat(Browser.seriousViolations(chrome)).as("axe-core on %s", page.getKey()).isEmpty();
      }
    } finally {
      chrome.quit();
    }
  }
}
