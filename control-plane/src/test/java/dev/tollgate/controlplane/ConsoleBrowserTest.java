package dev.tollgate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.Completion;
import dev.tollgate.core.runs.NewEvent;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.RunStatus;
import dev.tollgate.core.testing.Chromium;
import dev.tollgate.policy.PolicyEngine;
import dev.tollgate.policy.WorkItemService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The console in a real browser (headless Chromium): an operator performs a work-item action and
 * sees the lane change, reads a blocked action's recovery, finds the runs; pages pass axe-core with
 * no serious or critical violation; screenshots at phone and desktop sizes go to {@code
 * target/screenshots} (and to {@code docs/images} with {@code -Dtollgate.screenshots=docs}).
 */
@ExtendWith(Chromium.Required.class)
class ConsoleBrowserTest {
  private static Database db;
  private static RunQueue queue;

  @TempDir static Path dir;
  private static ControlPlaneServer server;
  private static Path project;

  @BeforeAll
  static void serve() {
    db = TestDatabase.freshSchema("cp_browser", 4);
    queue = PostgresRunQueue.open(db.dataSource(), db.schema());
    queue.enqueue(NewRun.builder("restart-service").lane("ops").build());
    project = Demo.copy(dir.resolve("project"));
    Clock clock = Clock.systemUTC();
    ControlPlane plane =
        ControlPlane.builder()
            .workItems(WorkItemService.of(PolicyEngine.load(project, clock), clock))
            .runs(queue)
            .authenticator(Authenticator.loopback("alice"))
            .build();
    server = ControlPlaneServer.start(plane, "127.0.0.1", 0, "");
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
  void an_operator_on_a_phone_performs_an_action_and_sees_the_item_change_lane() throws Exception {
    ChromeDriver chrome = Browser.start(390, 844);
    try {
      chrome.get(url("/"));
      screenshot(chrome, "console-board-phone");
      assertThat(chrome.findElement(By.id("lane-ready")).getText()).startsWith("Ready");
      chrome.findElement(By.linkText("wi-SF-104 " + title("wi-SF-104"))).click();
      screenshot(chrome, "console-item-phone");
      chrome.findElement(By.cssSelector("form[action$='/actions/start-execution'] button")).click();
      awaitText(chrome, By.cssSelector(".notice"), "Done: start-execution by alice.");
      chrome.get(url("/"));
      // Read with retries: the board's live updates may replace the lane while it is being read.
      By inProgress = By.cssSelector("section[aria-labelledby='lane-in-progress']");
      awaitText(chrome, inProgress, "In progress 2/2");
      awaitText(chrome, inProgress, "wi-SF-104");
    } finally {
      chrome.quit();
    }
  }

  @Test
  void a_blocked_action_shows_its_cause_and_next_step_without_a_button() {
    ChromeDriver chrome = Browser.start(390, 844);
    try {
      chrome.get(url("/items/wi-SF-102"));
      var ship =
          chrome.findElements(By.cssSelector("article.action")).stream()
              .filter(a -> a.getText().startsWith("Ship"))
              .findFirst()
              .orElseThrow();
      assertThat(ship.getText()).contains("Blocked").contains("Next step").contains("Safe retry");
      assertThat(ship.findElements(By.tagName("button"))).isEmpty();
    } finally {
      chrome.quit();
    }
  }

  @Test
  void every_page_passes_axe_core_without_serious_violations_and_is_shot_on_desktop()
      throws Exception {
    ChromeDriver chrome = Browser.start(1280, 800);
    try {
      for (Map.Entry<String, String> page :
          Map.of(
                  "/", "console-board-desktop",
                  "/items/wi-SF-102", "console-item-desktop",
                  "/epics", "console-epics-desktop",
                  "/?epic=CHK&status=in-progress", "console-board-filtered-desktop",
                  "/runs", "console-runs-desktop")
              .entrySet()) {
        chrome.get(url(page.getKey()));
        screenshot(chrome, page.getValue());
        assertThat(Browser.seriousViolations(chrome)).as("axe-core on %s", page.getKey()).isEmpty();
      }
      chrome.get(url("/runs"));
      assertThat(chrome.findElement(By.cssSelector(".runs")).getText()).contains("restart-service");
    } finally {
      chrome.quit();
    }
  }

  @Test
  void the_run_page_follows_the_log_live_and_shows_the_connection() throws Exception {
    Run run = queue.enqueue(NewRun.builder("live-log").lane("browser-live").build()).run();
    Run claimed = queue.claim("w-browser", List.of("browser-live"), 1).get(0);
    queue.appendEvents(claimed.lease(), List.of(NewEvent.output("stdout", "first line")));
    ChromeDriver chrome = Browser.start(390, 844);
    try {
      chrome.get(url("/runs/" + run.id()));
      awaitText(chrome, By.id("conn"), "live");
      queue.appendEvents(
          claimed.lease(), List.of(NewEvent.output("stderr", "<b>second</b> line, live")));
      awaitText(chrome, By.id("log"), "<b>second</b> line, live");
      assertThat(chrome.findElements(By.cssSelector("#log b"))).isEmpty();
      queue.complete(new Completion(claimed.lease(), RunStatus.SUCCESS, null));
      awaitText(chrome, By.cssSelector("h1 .status"), "success");
      screenshot(chrome, "console-run-phone");
    } finally {
      chrome.quit();
    }
  }

  private static void awaitText(ChromeDriver chrome, By by, String text)
      throws InterruptedException {
    Browser.awaitText(chrome, by, text, 10);
  }

  private static String title(String id) throws IOException {
    for (String line : Files.readAllLines(project.resolve("work-items/" + id + ".yml"))) {
      if (line.startsWith("title: ")) {
        return line.substring(7).replace("'", "").replace("\"", "");
      }
    }
    throw new AssertionError("no title in " + id);
  }

  private static void screenshot(ChromeDriver chrome, String name) throws IOException {
    Browser.screenshot(chrome, name);
  }
}
